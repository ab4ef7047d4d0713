package io.alauda.dra.slice;

import io.alauda.dra.resourceapi.ServedVersions;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSlice;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.alauda.dra.slice.SliceTestDevices.NODE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Why the publisher tests list with {@link SliceListScope#CLIENT_SIDE}, and proof that the production default asks
 * the API server for this node's slices only.
 */
@EnableKubernetesMockClient(crud = true)
class MockFieldSelectorTest {

    private static final String SELECTOR = "fieldSelector=spec.driver%3Dgpu.nvidia.com%2Cspec.nodeName%3Dnode-a";

    KubernetesMockServer server;
    KubernetesClient client;

    /**
     * The CRUD mock matches a field selector only against names, namespaces and labels, so a spec.* selector matches
     * nothing. If this starts failing, the mock learned these selectors and the tests can use the default scope.
     */
    @Test
    void theMockAnswersSpecFieldSelectorsWithNothing() {
        client.resources(ResourceSlice.class).resource(new ResourceSliceBuilder().withNewMetadata().withName("s").endMetadata()
                .withNewSpec().withDriver("gpu.nvidia.com").withNodeName(NODE)
                .withNewPool().withName(NODE).withGeneration(1L).withResourceSliceCount(1L).endPool().endSpec().build()).create();

        assertEquals(1, client.resources(ResourceSlice.class).list().getItems().size());
        assertEquals(0, client.resources(ResourceSlice.class).withField("spec.nodeName", NODE).list().getItems().size());
    }

    @Test
    void theDefaultScopeListsAndWatchesWithDriverAndNodeFieldSelectors() throws Exception {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(NODE).endMetadata().build()).create();
        ResourceSlicePublisher publisher = new ResourceSlicePublisher(client, PublisherOptions.forNode(NODE),
                ServedVersions.fixed("v1"), PublishListener.NONE);
        try {
            publisher.start(SliceTestDevices.goldenDevices());
            assertTrue(publisher.awaitFirstPublish(Duration.ofSeconds(30)));
        } finally {
            publisher.stop();
        }

        List<String> paths = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            paths.add(request.getMethod() + " " + request.getPath());
        }
        String slices = "GET /apis/resource.k8s.io/v1/resourceslices?";
        assertTrue(paths.contains(slices + SELECTOR), () -> "no selected list in " + paths);
        assertTrue(paths.stream().anyMatch(p -> p.startsWith(slices) && p.contains(SELECTOR) && p.contains("watch=true")),
                () -> "no selected watch in " + paths);
        assertTrue(paths.stream().filter(p -> p.startsWith(slices)).allMatch(p -> p.contains(SELECTOR)),
                () -> "an unselected slice request in " + paths);
    }
}
