package io.alauda.dra.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One resource.k8s.io version: its ResourceSlice and ResourceClaim classes and how to turn them into views.
 * Everything past the informers works on views, so only this class knows that there are three versions.
 */
public final class ResourceApi<S extends HasMetadata, C extends HasMetadata> {

    public static final ResourceApi<io.fabric8.kubernetes.api.model.resource.v1.ResourceSlice, io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim> V1 =
            new ResourceApi<>("v1",
                    io.fabric8.kubernetes.api.model.resource.v1.ResourceSlice.class, io.fabric8.kubernetes.api.model.resource.v1.ResourceSlice::new,
                    io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim.class, io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim::new,
                    V1Views::slice, V1Views::claim);

    public static final ResourceApi<io.fabric8.kubernetes.api.model.resource.v1beta2.ResourceSlice, io.fabric8.kubernetes.api.model.resource.v1beta2.ResourceClaim> V1BETA2 =
            new ResourceApi<>("v1beta2",
                    io.fabric8.kubernetes.api.model.resource.v1beta2.ResourceSlice.class, io.fabric8.kubernetes.api.model.resource.v1beta2.ResourceSlice::new,
                    io.fabric8.kubernetes.api.model.resource.v1beta2.ResourceClaim.class, io.fabric8.kubernetes.api.model.resource.v1beta2.ResourceClaim::new,
                    V1beta2Views::slice, V1beta2Views::claim);

    public static final ResourceApi<io.fabric8.kubernetes.api.model.resource.v1beta1.ResourceSlice, io.fabric8.kubernetes.api.model.resource.v1beta1.ResourceClaim> V1BETA1 =
            new ResourceApi<>("v1beta1",
                    io.fabric8.kubernetes.api.model.resource.v1beta1.ResourceSlice.class, io.fabric8.kubernetes.api.model.resource.v1beta1.ResourceSlice::new,
                    io.fabric8.kubernetes.api.model.resource.v1beta1.ResourceClaim.class, io.fabric8.kubernetes.api.model.resource.v1beta1.ResourceClaim::new,
                    V1beta1Views::slice, V1beta1Views::claim);

    /** Newest first: the order in which "auto" prefers them. */
    public static final List<ResourceApi<?, ?>> ALL = List.of(V1, V1BETA2, V1BETA1);

    private final String version;
    private final Class<S> sliceClass;
    private final Supplier<S> emptySlice;
    private final Class<C> claimClass;
    private final Supplier<C> emptyClaim;
    private final Function<S, SliceView> sliceView;
    private final Function<C, ClaimView> claimView;

    private ResourceApi(String version, Class<S> sliceClass, Supplier<S> emptySlice, Class<C> claimClass, Supplier<C> emptyClaim,
                        Function<S, SliceView> sliceView, Function<C, ClaimView> claimView) {
        this.version = version;
        this.sliceClass = sliceClass;
        this.emptySlice = emptySlice;
        this.claimClass = claimClass;
        this.emptyClaim = emptyClaim;
        this.sliceView = sliceView;
        this.claimView = claimView;
    }

    public static ResourceApi<?, ?> forVersion(String version) {
        for (ResourceApi<?, ?> api : ALL) {
            if (api.version.equals(version)) {
                return api;
            }
        }
        throw new IllegalArgumentException("unsupported resource.k8s.io version '" + version + "'; use v1, v1beta2 or v1beta1");
    }

    public String version() {
        return version;
    }

    public String apiVersion() {
        return "resource.k8s.io/" + version;
    }

    public Class<S> sliceClass() {
        return sliceClass;
    }

    public Class<C> claimClass() {
        return claimClass;
    }

    Supplier<S> emptySlice() {
        return emptySlice;
    }

    Supplier<C> emptyClaim() {
        return emptyClaim;
    }

    public SliceView sliceView(S slice) {
        return sliceView.apply(slice);
    }

    public ClaimView claimView(C claim) {
        return claimView.apply(claim);
    }

    @Override
    public String toString() {
        return apiVersion();
    }
}
