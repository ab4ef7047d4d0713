package io.alauda.dra.operator.resources;

import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.alauda.dra.resourceapi.V1Shape;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceClassBuilder;

/**
 * DeviceClasses {@code gpu.nvidia.com} and {@code mig.nvidia.com} with the upstream selectors, written in the
 * resource.k8s.io version the API server serves (the spec shape is the same in v1, v1beta2 and v1beta1).
 */
public final class DeviceClasses {

    private DeviceClasses() {
    }

    public static HasMetadata gpu(InstallContext ctx) {
        return build(ctx, Names.GPU_DEVICE_CLASS, "gpu", ctx.spec().deviceClasses.gpu.extendedResourceName);
    }

    public static HasMetadata mig(InstallContext ctx) {
        return build(ctx, Names.MIG_DEVICE_CLASS, "mig", null);
    }

    /** The upstream selector: this driver's devices of one {@code type}. */
    static String selector(String type) {
        return "device.driver == '" + Names.DRIVER + "' && device.attributes['" + Names.DRIVER + "'].type == '" + type + "'";
    }

    private static HasMetadata build(InstallContext ctx, String name, String type, String extendedResourceName) {
        ObjectMeta meta = ctx.meta(name, null, Labels.COMPONENT_CLUSTER);
        String erName = extendedResourceName == null || extendedResourceName.isEmpty() ? null : extendedResourceName;
        return V1Shape.as(ResourceApiVersion.parse(ctx.resourceApiVersion()), new DeviceClassBuilder()
                .withMetadata(meta)
                .withNewSpec().addNewSelector().withNewCel(selector(type)).endSelector()
                .withExtendedResourceName(erName).endSpec()
                .build());
    }
}
