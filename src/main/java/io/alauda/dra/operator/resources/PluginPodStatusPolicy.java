package io.alauda.dra.operator.resources;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBuilder;

/**
 * RBAC can grant the kubelet plugin {@code pods/status} only for every pod of the driver's namespace, which by default
 * is kube-system: a plugin's token, taken from one node, could then mark CoreDNS not ready. This policy confines the
 * grant to what the plugin does with it: set its node-check condition on its own pod (the pod its projected token is
 * bound to), leaving every other condition and the phase as they were.
 */
public final class PluginPodStatusPolicy {

    static final String POD_NAME_EXTRA = "authentication.kubernetes.io/pod-name";
    private static final String OTHER_CONDITIONS = "has(%1$s.status) && has(%1$s.status.conditions) ? %1$s.status.conditions"
            + ".filter(c, c.type != '" + Names.NODE_PREFLIGHT_CONDITION + "') : []";
    private static final String PHASE = "has(%1$s.status) && has(%1$s.status.phase) ? %1$s.status.phase : ''";

    private PluginPodStatusPolicy() {
    }

    public static ValidatingAdmissionPolicy policy(InstallContext ctx) {
        return new ValidatingAdmissionPolicyBuilder()
                .withMetadata(ctx.meta(Names.KUBELET_PLUGIN_POD_STATUS, null, Labels.COMPONENT_KUBELET_PLUGIN))
                .withNewSpec()
                .withFailurePolicy("Fail")
                .withNewMatchConstraints()
                .addNewResourceRule()
                .withApiGroups("")
                .withApiVersions("v1")
                .withOperations("UPDATE")
                .withResources("pods/status")
                .endResourceRule()
                .endMatchConstraints()
                .withMatchConditions(KubeletPluginAdmission.isKubeletPlugin(ctx))
                .addToVariables(KubeletPluginAdmission.tokenExtra("userPodName", POD_NAME_EXTRA))
                .addNewValidation()
                .withExpression("variables.userPodName != '' && object.metadata.name == variables.userPodName")
                .withMessageExpression("'the kubelet plugin may only set the status of its own pod ('"
                        + " + variables.userPodName + '), not of ' + object.metadata.name")
                .endValidation()
                .addNewValidation()
                .withExpression("(" + String.format(OTHER_CONDITIONS, "object") + ") == (" + String.format(OTHER_CONDITIONS, "oldObject")
                        + ") && (" + String.format(PHASE, "object") + ") == (" + String.format(PHASE, "oldObject") + ")")
                .withMessage("the kubelet plugin may only change the " + Names.NODE_PREFLIGHT_CONDITION + " condition of its pod")
                .endValidation()
                .endSpec()
                .build();
    }

    public static ValidatingAdmissionPolicyBinding binding(InstallContext ctx) {
        return KubeletPluginAdmission.denyBinding(ctx, Names.KUBELET_PLUGIN_POD_STATUS);
    }
}
