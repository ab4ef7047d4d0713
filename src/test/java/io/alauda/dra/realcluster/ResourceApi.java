package io.alauda.dra.realcluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * resource.k8s.io read the same way on every release the suites run: v1 where served (1.34+), else v1beta1 (1.32,
 * 1.33), through generic objects so that one suite checks both. In v1beta1 a device's attributes sit under
 * {@code basic}.
 */
public record ResourceApi(KubernetesClient client, String version) {

    public static ResourceApi of(ControlPlane plane) {
        return new ResourceApi(plane.admin(), plane.binaries().servesResourceV1() ? "v1" : "v1beta1");
    }

    public String apiVersion() {
        return "resource.k8s.io/" + version;
    }

    public List<GenericKubernetesResource> slices(String driver, String node) {
        return client.genericKubernetesResources(apiVersion(), "ResourceSlice").list().getItems().stream()
                .filter(s -> driver.equals(spec(s).get("driver")) && (node == null || node.equals(spec(s).get("nodeName"))))
                .toList();
    }

    public Optional<GenericKubernetesResource> deviceClass(String name) {
        return Optional.ofNullable(client.genericKubernetesResources(apiVersion(), "DeviceClass").withName(name).get());
    }

    public GenericKubernetesResource claim(String namespace, String name) {
        return client.genericKubernetesResources(apiVersion(), "ResourceClaim").inNamespace(namespace).withName(name).get();
    }

    /** {@code status.allocation.devices.results[0]} of a claim: request, driver, pool, device. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> firstResult(GenericKubernetesResource claim) {
        Map<String, Object> status = (Map<String, Object>) claim.getAdditionalProperties().get("status");
        Map<String, Object> allocation = (Map<String, Object>) status.get("allocation");
        Map<String, Object> devices = (Map<String, Object>) allocation.get("devices");
        return ((List<Map<String, Object>>) devices.get("results")).get(0);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> spec(GenericKubernetesResource object) {
        return (Map<String, Object>) object.getAdditionalProperties().get("spec");
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> devices(GenericKubernetesResource slice) {
        return (List<Map<String, Object>>) spec(slice).getOrDefault("devices", List.of());
    }

    /** A string attribute of a published device, wherever this version keeps attributes. */
    @SuppressWarnings("unchecked")
    public static String stringAttribute(Map<String, Object> device, String name) {
        Map<String, Object> holder = device.containsKey("basic") ? (Map<String, Object>) device.get("basic") : device;
        Map<String, Object> attributes = (Map<String, Object>) holder.get("attributes");
        Map<String, Object> value = (Map<String, Object>) attributes.get(name);
        return value == null ? null : (String) value.get("string");
    }

    public static String uid(GenericKubernetesResource object) {
        return object.getMetadata().getUid();
    }
}
