package io.alauda.dra.resourceapi;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code resource.k8s.io} versions this driver reads and writes, newest first: the order in which {@code auto}
 * prefers them. All three are views of the same stored objects, so an object written in one version is listed,
 * updated and deleted through any other. Each names its fabric8 model classes; {@link V1Shape} brings objects of any
 * version to the v1 model that every role works on.
 */
public enum ResourceApiVersion {
    V1("v1",
            io.fabric8.kubernetes.api.model.resource.v1.ResourceSlice.class,
            io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim.class,
            io.fabric8.kubernetes.api.model.resource.v1.DeviceClass.class),
    V1BETA2("v1beta2",
            io.fabric8.kubernetes.api.model.resource.v1beta2.ResourceSlice.class,
            io.fabric8.kubernetes.api.model.resource.v1beta2.ResourceClaim.class,
            io.fabric8.kubernetes.api.model.resource.v1beta2.DeviceClass.class),
    V1BETA1("v1beta1",
            io.fabric8.kubernetes.api.model.resource.v1beta1.ResourceSlice.class,
            io.fabric8.kubernetes.api.model.resource.v1beta1.ResourceClaim.class,
            io.fabric8.kubernetes.api.model.resource.v1beta1.DeviceClass.class);

    public static final String GROUP = "resource.k8s.io";
    /** The setting that means "the newest version the API server serves". */
    public static final String AUTO = "auto";

    private final String id;
    private final Class<? extends HasMetadata> sliceClass;
    private final Class<? extends HasMetadata> claimClass;
    private final Class<? extends HasMetadata> deviceClassClass;

    ResourceApiVersion(String id, Class<? extends HasMetadata> sliceClass, Class<? extends HasMetadata> claimClass,
                       Class<? extends HasMetadata> deviceClassClass) {
        this.id = id;
        this.sliceClass = sliceClass;
        this.claimClass = claimClass;
        this.deviceClassClass = deviceClassClass;
    }

    /** {@code v1}, {@code v1beta2} or {@code v1beta1}. */
    public String id() {
        return id;
    }

    /** {@code resource.k8s.io/v1} and so on. */
    public String apiVersion() {
        return GROUP + "/" + id;
    }

    public Class<? extends HasMetadata> sliceClass() {
        return sliceClass;
    }

    public Class<? extends HasMetadata> claimClass() {
        return claimClass;
    }

    public Class<? extends HasMetadata> deviceClassClass() {
        return deviceClassClass;
    }

    /** Every version's id, newest first: {@code v1, v1beta2, v1beta1}, for messages and admission rules. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(ResourceApiVersion::id).toList();
    }

    /**
     * @throws IllegalArgumentException naming the accepted values when {@code id} is none of them
     */
    public static ResourceApiVersion parse(String id) {
        return find(id).filter(version -> version.id.equals(id)).orElseThrow(() -> new IllegalArgumentException(
                "resource API version '" + id + "' is not supported: use " + AUTO + ", " + String.join(", ", ids())));
    }

    /** Accepts {@code v1} as well as {@code resource.k8s.io/v1}; empty for anything else. */
    public static Optional<ResourceApiVersion> find(String version) {
        if (version == null) {
            return Optional.empty();
        }
        String bare = version.startsWith(GROUP + "/") ? version.substring(GROUP.length() + 1) : version;
        return Arrays.stream(values()).filter(v -> v.id.equals(bare)).findFirst();
    }

    /**
     * A configured version: empty for {@code auto} (also null or blank, any case), else the version it names.
     *
     * @throws IllegalArgumentException when it names none of ours
     */
    public static Optional<ResourceApiVersion> configured(String setting) {
        String wanted = setting == null ? "" : setting.trim().toLowerCase(Locale.ROOT);
        return wanted.isEmpty() || wanted.equals(AUTO) ? Optional.empty() : Optional.of(parse(wanted));
    }

    /** Ours among the served versions ({@code v1} or {@code resource.k8s.io/v1}), newest first. */
    public static List<ResourceApiVersion> servedAmong(Collection<String> served) {
        if (served == null) {
            return List.of();
        }
        return Arrays.stream(values())
                .filter(version -> served.stream().anyMatch(s -> find(s).orElse(null) == version))
                .toList();
    }

    /** The newest of our versions among those an API server serves; empty when it serves none of them. */
    public static Optional<ResourceApiVersion> newestOf(Collection<String> served) {
        return servedAmong(served).stream().findFirst();
    }

    /** The version of a fabric8 model object of this group (slice, claim or device class). */
    public static ResourceApiVersion of(HasMetadata object) {
        for (ResourceApiVersion version : values()) {
            Class<?> type = object.getClass();
            if (type == version.sliceClass || type == version.claimClass || type == version.deviceClassClass) {
                return version;
            }
        }
        throw new IllegalArgumentException(object.getClass().getName() + " is no " + GROUP + " model this driver knows");
    }
}
