package io.alauda.dra.slice;

import io.alauda.dra.health.DeviceHealthBoard;
import io.alauda.dra.health.HealthEffect;
import io.alauda.dra.health.HealthProblem;
import io.alauda.dra.resourceapi.ServedVersions;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.Device;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceTaint;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSlice;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.alauda.dra.slice.SliceTestDevices.NODE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The publisher turning the health board into taints, against the fabric8 mock API server: republish on change and
 * on recovery, a burst gathered into one write, failures retried with the backoff, and a server that drops taints.
 */
@EnableKubernetesMockClient(crud = true)
class HealthTaintPublishingTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String GPU_0 = "GPU-4f6a3b2c-1d2e-4f5a-8b9c-0d1e2f3a4b5c";
    private static final String V1_SLICES = "/apis/resource.k8s.io/v1/resourceslices";

    KubernetesMockServer server;
    KubernetesClient client;

    private final DeviceHealthBoard board = new DeviceHealthBoard();
    private final List<Boolean> taintVerdicts = new CopyOnWriteArrayList<>();
    private final List<PublishFailure> failures = new CopyOnWriteArrayList<>();
    private final List<PublishOutcome> outcomes = new CopyOnWriteArrayList<>();
    private final List<KubernetesClient> extraClients = new ArrayList<>();
    private ResourceSlicePublisher publisher;

    @BeforeEach
    void createNode() {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(NODE).endMetadata().build()).create();
    }

    @AfterEach
    void stop() {
        if (publisher != null) {
            publisher.stop();
        }
        extraClients.forEach(KubernetesClient::close);
    }

    private void start(KubernetesClient with) throws InterruptedException {
        publisher = new ResourceSlicePublisher(with, PublisherOptions.forNode(NODE).withListScope(SliceListScope.CLIENT_SIDE)
                .withBackoff(Backoff.exponential(Duration.ofMillis(50), Duration.ofMillis(400), 0))
                .withEventDelay(Duration.ofMillis(200)).withDeviceTaints(true), ServedVersions.fixed("v1"), new PublishListener() {
                    @Override
                    public void published(PublishOutcome outcome) {
                        outcomes.add(outcome);
                    }

                    @Override
                    public void failed(PublishFailure failure) {
                        failures.add(failure);
                    }

                    @Override
                    public void deviceTaints(boolean kept) {
                        taintVerdicts.add(kept);
                    }
                });
        publisher.start(SliceTestDevices.goldenDevices());
        board.addListener(publisher::publishHealth);
        assertTrue(publisher.awaitFirstPublish(WAIT));
    }

    private ResourceSlice slice() {
        List<ResourceSlice> slices = client.resources(ResourceSlice.class).list().getItems();
        assertEquals(1, slices.size());
        return slices.get(0);
    }

    private List<DeviceTaint> taintsOf(String device) {
        Device found = slice().getSpec().getDevices().stream().filter(d -> d.getName().equals(device)).findFirst().orElseThrow();
        return found.getTaints() == null ? List.of() : found.getTaints();
    }

    private static HealthProblem xid(String value) {
        return new HealthProblem("gpu.nvidia.com/xid", value, HealthEffect.NO_SCHEDULE, "XID " + value, Instant.now());
    }

    private List<String> writes() throws InterruptedException {
        List<String> writes = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            if (!request.getMethod().equals("GET")) {
                writes.add(request.getMethod() + " " + request.getPath());
            }
        }
        return writes;
    }

    @Test
    void anUnhealthyDeviceIsTaintedAndItsRecoveryClearsTheTaint() throws Exception {
        start(client);
        board.report(GPU_0, xid("79"));
        await().atMost(WAIT).untilAsserted(() -> assertEquals(List.of("gpu.nvidia.com/xid=79:NoSchedule"),
                taintsOf("gpu-0").stream().map(t -> t.getKey() + "=" + t.getValue() + ":" + t.getEffect()).toList()));
        assertEquals(List.of(), taintsOf("gpu-1-mig-1g10gb-19-0"));
        assertEquals(1L, slice().getSpec().getPool().getGeneration(), "one slice changed in place: the generation stays");
        await().atMost(WAIT).until(() -> taintVerdicts.contains(true));

        board.clear(GPU_0, "gpu.nvidia.com/xid");
        await().atMost(WAIT).untilAsserted(() -> assertEquals(List.of(), taintsOf("gpu-0")));
    }

    @Test
    void aBurstOfReportsCostsOneWrite() throws Exception {
        start(client);
        writes();
        for (int xid = 60; xid < 64; xid++) {
            board.report(GPU_0, xid(Integer.toString(xid)));
        }
        await().atMost(WAIT).untilAsserted(() -> assertEquals(4, taintsOf("gpu-0").size()));
        assertEquals(List.of("PUT " + V1_SLICES + "/" + slice().getMetadata().getName()), writes());
    }

    @Test
    void aFailedTaintPublishIsRetriedWithTheBackoff() throws Exception {
        KubernetesClient noRetries = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(client.getConfiguration()).withRequestRetryBackoffLimit(0).build()).build();
        extraClients.add(noRetries);
        start(noRetries);
        String name = slice().getMetadata().getName();
        server.expect().put().withPath(V1_SLICES + "/" + name)
                .andReturn(500, new StatusBuilder().withCode(500).withMessage("etcdserver: request timed out").build()).times(2);
        board.report(GPU_0, xid("79"));
        await().atMost(WAIT).untilAsserted(() -> assertEquals(1, taintsOf("gpu-0").size()));
        assertEquals(List.of(1, 2), failures.stream().map(PublishFailure::consecutiveFailures).toList());
    }

    @Test
    void aServerThatDropsTaintsIsNoticedAndNotRewrittenForever() throws Exception {
        start(client);
        ResourceSlice stored = slice();
        String name = stored.getMetadata().getName();
        // a server without DRADeviceTaints: accepts the update and answers with the slice as it was, taints gone
        ResourceSlice answer = Serialization.clone(stored);
        answer.getMetadata().setResourceVersion("999");
        server.expect().put().withPath(V1_SLICES + "/" + name).andReturn(200, answer).once();
        writes();

        board.report(GPU_0, xid("79"));
        await().atMost(WAIT).until(() -> taintVerdicts.contains(false));
        assertEquals(List.of(false), taintVerdicts);
        PublishOutcome resynced = publisher.resync().get(30, TimeUnit.SECONDS);
        assertTrue(!resynced.wroteAnything(), "publishes without taints until health changes again");
        assertEquals(List.of("PUT " + V1_SLICES + "/" + name), writes());

        // the next change tries again; this time the (mock) server keeps them
        board.report(GPU_0, xid("48"));
        await().atMost(WAIT).untilAsserted(() -> assertEquals(2, taintsOf("gpu-0").size()));
        await().atMost(WAIT).until(() -> taintVerdicts.size() == 2);
        assertEquals(List.of(false, true), taintVerdicts);
    }
}
