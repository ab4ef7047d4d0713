package io.alauda.dra.slice;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@code resource.k8s.io} versions a ResourceSlice can be written in, newest first. All three are views of the
 * same stored objects, so a slice written in one version is listed, updated and deleted through any other.
 */
public enum SliceApiVersion {
    V1("v1", io.fabric8.kubernetes.api.model.resource.v1.ResourceSlice.class, new V1SliceRenderer()),
    V1BETA2("v1beta2", io.fabric8.kubernetes.api.model.resource.v1beta2.ResourceSlice.class, new V1beta2SliceRenderer()),
    V1BETA1("v1beta1", io.fabric8.kubernetes.api.model.resource.v1beta1.ResourceSlice.class, new V1beta1SliceRenderer());

    public static final String GROUP = "resource.k8s.io";
    /** The configuration value that means "the newest version the API server serves". */
    public static final String AUTO = "auto";

    private final String id;
    private final Class<? extends HasMetadata> sliceType;
    private final SliceRenderer renderer;

    SliceApiVersion(String id, Class<? extends HasMetadata> sliceType, SliceRenderer renderer) {
        this.id = id;
        this.sliceType = sliceType;
        this.renderer = renderer;
    }

    /** {@code v1}, {@code v1beta2} or {@code v1beta1}. */
    public String id() {
        return id;
    }

    /** {@code resource.k8s.io/v1} and so on. */
    public String apiVersion() {
        return GROUP + "/" + id;
    }

    /** The fabric8 ResourceSlice class of this version. */
    public Class<? extends HasMetadata> sliceType() {
        return sliceType;
    }

    SliceRenderer renderer() {
        return renderer;
    }

    /**
     * @throws IllegalArgumentException naming the setting and the accepted values when {@code id} is none of them
     */
    public static SliceApiVersion parse(String id) {
        for (SliceApiVersion version : values()) {
            if (version.id.equals(id)) {
                return version;
            }
        }
        throw new IllegalArgumentException("resource API version '" + id + "' is not supported: use " + AUTO + ", "
                + Arrays.stream(values()).map(SliceApiVersion::id).collect(Collectors.joining(", ")));
    }

    /** The newest of our versions among those an API server serves; empty when it serves none of them. */
    public static Optional<SliceApiVersion> newestOf(Collection<String> served) {
        return Arrays.stream(values()).filter(version -> served.contains(version.id)).findFirst();
    }
}
