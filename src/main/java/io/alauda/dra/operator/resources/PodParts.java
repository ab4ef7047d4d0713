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

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Pieces both pod templates share. */
final class PodParts {

    static final String TMP_VOLUME = "tmp";
    /** Read by the {@code java} launcher itself, so it works whatever the image's start script passes. */
    static final String JDK_JAVA_OPTIONS = "JDK_JAVA_OPTIONS";
    /** The memory a JVM without a container limit sizes itself for, unless its request is larger. */
    static final Quantity UNLIMITED_JVM_MEMORY = new Quantity("512Mi");

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

    /**
     * Without a memory limit the JVM sizes its heap from the node's memory: on a GPU node with 1 TiB it starts with a
     * 16 GiB heap and lets about a third of it fill before its first young collection, so the resident set creeps to
     * gigabytes. Telling it the memory it may assume ({@code -XX:MaxRAM}) keeps the pod near its request; the image's
     * {@code MaxRAMPercentage} then applies to that. Nothing is added when the container has a memory limit (the JVM
     * reads the limit) or when the user sets {@code JDK_JAVA_OPTIONS} in the spec's env.
     */
    static Optional<EnvVar> jvmMemoryCap(ResourceRequirements resources, List<EnvVar> userEnv) {
        return jdkJavaOptions(resources, userEnv, List.of());
    }

    /**
     * {@code JDK_JAVA_OPTIONS} for a role: its own options, then the memory cap above; none when the user sets the
     * variable in the spec's env (theirs wins whole) or there is nothing to say.
     */
    static Optional<EnvVar> jdkJavaOptions(ResourceRequirements resources, List<EnvVar> userEnv, List<String> roleOptions) {
        if (userEnv != null && userEnv.stream().anyMatch(e -> JDK_JAVA_OPTIONS.equals(e.getName()))) {
            return Optional.empty();
        }
        List<String> options = new ArrayList<>(roleOptions);
        if (resources.getLimits() == null || !resources.getLimits().containsKey("memory")) {
            BigDecimal assumed = Quantity.getAmountInBytes(UNLIMITED_JVM_MEMORY);
            Quantity request = resources.getRequests() == null ? null : resources.getRequests().get("memory");
            if (request != null) {
                assumed = assumed.max(Quantity.getAmountInBytes(request));
            }
            options.add("-XX:MaxRAM=" + assumed.toBigInteger());
        }
        return options.isEmpty() ? Optional.empty() : Optional.of(env(JDK_JAVA_OPTIONS, String.join(" ", options)));
    }

    private static boolean isEmpty(Map<?, ?> map) {
        return map == null || map.isEmpty();
    }
}
