package io.alauda.dra.operator.resources;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Pieces both pod templates share. */
final class PodParts {

    static final String TMP_VOLUME = "tmp";

    private PodParts() {
    }

    static EnvVar env(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    static EnvVar fieldRef(String name, String fieldPath) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef()
                .withApiVersion("v1").withFieldPath(fieldPath).endFieldRef().endValueFrom().build();
    }

    static List<EnvVar> podIdentity() {
        return List.of(
                fieldRef(PluginEnv.NAMESPACE, "metadata.namespace"),
                fieldRef(PluginEnv.POD_NAME, "metadata.name"),
                fieldRef(PluginEnv.POD_UID, "metadata.uid"));
    }

    static String logLevel(InstallContext ctx) {
        return ctx.spec().logLevel.name().toUpperCase(Locale.ROOT);
    }

    static List<LocalObjectReference> pullSecrets(InstallContext ctx) {
        return ctx.pullSecrets().stream().map(LocalObjectReference::new).toList();
    }

    /** JNA unpacks its native stub and Quarkus keeps scratch files under /tmp; the root filesystem stays read-only. */
    static Volume tmpVolume() {
        return new VolumeBuilder().withName(TMP_VOLUME).withNewEmptyDir().withSizeLimit(new Quantity("64Mi")).endEmptyDir().build();
    }

    static VolumeMount tmpMount() {
        return new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath("/tmp").build();
    }

    /** The user's requirements, or small requests so the scheduler still accounts for the pod. */
    static ResourceRequirements resources(ResourceRequirements fromSpec, String cpu, String memory) {
        if (fromSpec != null && (!isEmpty(fromSpec.getRequests()) || !isEmpty(fromSpec.getLimits()))) {
            return fromSpec;
        }
        return new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity(cpu))
                .addToRequests("memory", new Quantity(memory))
                .build();
    }

    private static boolean isEmpty(Map<?, ?> map) {
        return map == null || map.isEmpty();
    }
}
