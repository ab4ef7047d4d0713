package io.alauda.dra.operator.resources;

import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBuilder;

/**
 * Lets the kubelet plugin's ServiceAccount write only ResourceSlices of the node its pod runs on. The match
 * condition names the account the DaemonSet really uses; upstream's names a different one than its own chart's
 * DaemonSet runs as, so there the policy never applies. Unlike upstream, slices with allNodes or a nodeSelector are
 * refused too: a node-local plugin has no business writing them.
 */
public final class ResourceSlicePolicy {

    static final String NODE_NAME_EXTRA = "authentication.kubernetes.io/node-name";

    private ResourceSlicePolicy() {
    }

    public static ValidatingAdmissionPolicy policy(InstallContext ctx) {
        return new ValidatingAdmissionPolicyBuilder()
                .withMetadata(ctx.meta(Names.RESOURCE_SLICE_POLICY, null, Labels.COMPONENT_KUBELET_PLUGIN))
                .withNewSpec()
                .withFailurePolicy("Fail")
                .withNewMatchConstraints()
                .addNewResourceRule()
                .withApiGroups(ResourceApiVersion.GROUP)
                .withApiVersions(ResourceApiVersion.ids())
                .withOperations("CREATE", "UPDATE", "DELETE")
                .withResources("resourceslices")
                .endResourceRule()
                .endMatchConstraints()
                .withMatchConditions(KubeletPluginAdmission.isKubeletPlugin(ctx))
                .addToVariables(KubeletPluginAdmission.tokenExtra("userNodeName", NODE_NAME_EXTRA))
                .addNewVariable()
                .withName("slice")
                .withExpression("request.operation == 'DELETE' ? oldObject : object")
                .endVariable()
                .addNewValidation()
                .withExpression("variables.userNodeName != ''")
                .withMessage("the kubelet plugin's token carries no node name: it must run in a pod, and the API server "
                        + "needs the ServiceAccountTokenPodNodeInfo feature (on by default since Kubernetes 1.32)")
                .endValidation()
                .addNewValidation()
                .withExpression("has(variables.slice.spec.nodeName) && variables.slice.spec.nodeName == variables.userNodeName")
                .withMessageExpression("'the kubelet plugin on node ' + variables.userNodeName + ' may only write ResourceSlices of its own node'")
                .endValidation()
                .endSpec()
                .build();
    }

    public static ValidatingAdmissionPolicyBinding binding(InstallContext ctx) {
        return KubeletPluginAdmission.denyBinding(ctx, Names.RESOURCE_SLICE_POLICY);
    }
}
