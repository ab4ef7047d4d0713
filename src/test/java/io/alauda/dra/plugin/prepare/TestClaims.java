package io.alauda.dra.plugin.prepare;

import io.alauda.dra.plugin.api.ResourceClaimRef;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceAllocationConfiguration;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceAllocationConfigurationBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceRequestAllocationResult;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceRequestAllocationResultBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds {@code resource.k8s.io/v1} ResourceClaims with an allocation and stores them in the mock API server. */
public final class TestClaims {

    public static final String DRIVER = "gpu.nvidia.com";

    private final String namespace;
    private final String name;
    private final List<DeviceRequestAllocationResult> results = new ArrayList<>();
    private final List<DeviceAllocationConfiguration> configs = new ArrayList<>();
    private boolean allocated = true;

    private TestClaims(String namespace, String name) {
        this.namespace = namespace;
        this.name = name;
    }

    public static TestClaims claim(String namespace, String name) {
        return new TestClaims(namespace, name);
    }

    /** A result of this driver on this node. */
    public TestClaims result(String request, String device) {
        return result(request, DRIVER, TestNode.NODE_NAME, device, false);
    }

    public TestClaims adminResult(String request, String device) {
        return result(request, DRIVER, TestNode.NODE_NAME, device, true);
    }

    public TestClaims result(String request, String driver, String pool, String device, boolean adminAccess) {
        results.add(new DeviceRequestAllocationResultBuilder().withRequest(request).withDriver(driver).withPool(pool)
                .withDevice(device).withAdminAccess(adminAccess ? Boolean.TRUE : null).build());
        return this;
    }

    /** An opaque config of this driver; {@code parameters} become {@code opaque.parameters}. */
    public TestClaims config(String source, List<String> requests, Map<String, Object> parameters) {
        return config(source, requests, DRIVER, parameters);
    }

    public TestClaims config(String source, List<String> requests, String driver, Map<String, Object> parameters) {
        configs.add(new DeviceAllocationConfigurationBuilder().withSource(source).withRequests(requests)
                .withNewOpaque().withDriver(driver).withParameters(parameters).endOpaque().build());
        return this;
    }

    public TestClaims rawConfig(DeviceAllocationConfiguration config) {
        configs.add(config);
        return this;
    }

    public TestClaims unallocated() {
        allocated = false;
        return this;
    }

    public ResourceClaim build() {
        ResourceClaimBuilder builder = new ResourceClaimBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().endSpec();
        if (allocated) {
            builder.withNewStatus().withNewAllocation().withNewDevices().withResults(results).withConfig(configs)
                    .endDevices().endAllocation().endStatus();
        }
        return builder.build();
    }

    /** Stores the claim and returns the reference kubelet would send for it (with the UID the server gave it). */
    public ResourceClaimRef create(KubernetesClient client) {
        ResourceClaim created = client.resource(build()).create();
        return new ResourceClaimRef(namespace, created.getMetadata().getUid(), name);
    }

    public static Map<String, Object> gpuConfig() {
        return params("GpuConfig", null);
    }

    public static Map<String, Object> migConfig() {
        return params("MigDeviceConfig", null);
    }

    public static Map<String, Object> params(String kind, Map<String, Object> sharing) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("apiVersion", "resource.nvidia.com/v1beta1");
        p.put("kind", kind);
        if (sharing != null) {
            p.put("sharing", sharing);
        }
        return p;
    }

    public static Map<String, Object> timeSlicing(String interval) {
        return Map.of("strategy", "TimeSlicing", "timeSlicingConfig", Map.of("interval", interval));
    }

    /** The discovery documents a real API server serves, which the fetcher asks when a claim GET answers 404. */
    public static void serveDiscovery(KubernetesMockServer server, String... versions) {
        for (String version : versions) {
            server.expect().get().withPath("/apis/resource.k8s.io/" + version)
                    .andReturn(200, "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":"
                            + "\"resource.k8s.io/" + version + "\",\"resources\":[{\"name\":\"resourceclaims\","
                            + "\"namespaced\":true,\"kind\":\"ResourceClaim\",\"verbs\":[\"get\",\"list\"]}]}")
                    .always();
        }
    }
}
