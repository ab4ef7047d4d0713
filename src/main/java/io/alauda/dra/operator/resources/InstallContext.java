package io.alauda.dra.operator.resources;

import io.alauda.dra.api.v1alpha1.NvidiaDraDriver;
import io.alauda.dra.api.v1alpha1.NvidiaDraDriverSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

import java.util.List;
import java.util.Objects;

/**
 * Everything a builder needs besides the CR: facts the operator found out about the cluster. Builders are pure
 * functions of this, so the same context always gives the same objects.
 *
 * @param driver                  the active NvidiaDraDriver
 * @param image                   resolved driver image (repository:tag or repository@digest)
 * @param resourceApiVersion      resource.k8s.io version for DeviceClasses: v1, v1beta2 or v1beta1
 * @param serviceMonitorAvailable whether the ServiceMonitor CRD is installed
 * @param operatorNamespace       where the operator runs (its metrics Service is there), or null when unknown
 */
public record InstallContext(NvidiaDraDriver driver, String image, String resourceApiVersion, boolean serviceMonitorAvailable,
        String operatorNamespace) {

    public InstallContext(NvidiaDraDriver driver, String image, String resourceApiVersion, boolean serviceMonitorAvailable) {
        this(driver, image, resourceApiVersion, serviceMonitorAvailable, null);
    }

    public InstallContext {
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(resourceApiVersion, "resourceApiVersion");
    }

    public NvidiaDraDriverSpec spec() {
        return driver.getSpec();
    }

    public String namespace() {
        return spec().namespace;
    }

    public String owner() {
        return driver.getMetadata().getName();
    }

    /** Metadata with our labels and an owner reference, for cluster-scoped objects (namespace null) and namespaced ones. */
    public ObjectMeta meta(String name, String namespace, String component) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(Labels.of(owner(), component))
                .withOwnerReferences(ownerReference())
                .build();
    }

    public OwnerReference ownerReference() {
        return new OwnerReferenceBuilder()
                .withApiVersion(HasMetadata.getApiVersion(NvidiaDraDriver.class))
                .withKind(HasMetadata.getKind(NvidiaDraDriver.class))
                .withName(driver.getMetadata().getName())
                .withUid(driver.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    public List<String> pullSecrets() {
        return spec().image.pullSecrets == null ? List.of() : spec().image.pullSecrets;
    }
}
