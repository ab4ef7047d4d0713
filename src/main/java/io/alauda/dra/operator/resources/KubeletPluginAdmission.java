package io.alauda.dra.operator.resources;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchCondition;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchConditionBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBindingBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Variable;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.VariableBuilder;

/**
 * What the admission policies that confine the kubelet plugin's grants share: they apply to requests of its
 * ServiceAccount only, read the pod-bound facts the API server puts in its projected token, and deny.
 */
final class KubeletPluginAdmission {

    private KubeletPluginAdmission() {
    }

    /** Applies the policy to the plugin's ServiceAccount of this install, and to no one else. */
    static MatchCondition isKubeletPlugin(InstallContext ctx) {
        String user = Names.serviceAccountUser(ctx.namespace(), Names.kubeletPluginServiceAccount());
        return new MatchConditionBuilder().withName("isKubeletPlugin")
                .withExpression("request.userInfo.username == '" + user + "'").build();
    }

    /** A variable holding the token's {@code extra} value for {@code key} (e.g. the node or pod name), '' if none. */
    static Variable tokenExtra(String variable, String key) {
        return new VariableBuilder().withName(variable)
                .withExpression("'" + key + "' in request.userInfo.extra && size(request.userInfo.extra['" + key
                        + "']) > 0 ? request.userInfo.extra['" + key + "'][0] : ''")
                .build();
    }

    static ValidatingAdmissionPolicyBinding denyBinding(InstallContext ctx, String policy) {
        return new ValidatingAdmissionPolicyBindingBuilder()
                .withMetadata(ctx.meta(policy, null, Labels.COMPONENT_KUBELET_PLUGIN))
                .withNewSpec()
                .withPolicyName(policy)
                .withValidationActions("Deny")
                .endSpec()
                .build();
    }
}
