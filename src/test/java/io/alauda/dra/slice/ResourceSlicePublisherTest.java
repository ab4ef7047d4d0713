package io.alauda.dra.slice;

import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.alauda.dra.resourceapi.ServedVersions;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.Device;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceAttributeBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceCapacityBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSlice;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSliceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.alauda.dra.slice.SliceTestDevices.NODE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The publisher against the fabric8 mock API server in CRUD mode. The mock answers spec.* field selectors with
 * nothing (see {@link MockFieldSelectorTest}), so these tests list and watch with {@link SliceListScope#CLIENT_SIDE};
 * the field-selector requests themselves are checked there.
 */
@EnableKubernetesMockClient(crud = true)
class ResourceSlicePublisherTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String V1_SLICES = "/apis/resource.k8s.io/v1/resourceslices";

    KubernetesMockServer server;
    KubernetesClient client;

    private final RecordingListener listener = new RecordingListener();
    private final List<ResourceSlicePublisher> publishers = new ArrayList<>();
    private final List<KubernetesClient> extraClients = new ArrayList<>();
    private String nodeUid;

    @BeforeEach
    void createNode() {
        nodeUid = client.nodes().resource(new NodeBuilder().withNewMetadata().withName(NODE).endMetadata().build()).create()
                .getMetadata().getUid();
    }

    @AfterEach
    void stopEverything() {
        publishers.forEach(ResourceSlicePublisher::stop);
        extraClients.forEach(KubernetesClient::close);
    }

    private static PublisherOptions options() {
        return PublisherOptions.forNode(NODE)
                .withListScope(SliceListScope.CLIENT_SIDE)
                .withBackoff(Backoff.exponential(Duration.ofMillis(50), Duration.ofMillis(400), 0))
                .withEventDelay(Duration.ofMillis(50));
    }

    private ResourceSlicePublisher publisher(PublisherOptions options, ServedVersions served) {
        return publisher(client, options, served);
    }

    private ResourceSlicePublisher publisher(KubernetesClient with, PublisherOptions options, ServedVersions served) {
        ResourceSlicePublisher publisher = new ResourceSlicePublisher(with, options, served, listener);
        publishers.add(publisher);
        return publisher;
    }

    private ResourceSlicePublisher started(List<AllocatableDevice> devices) throws InterruptedException {
        ResourceSlicePublisher publisher = publisher(options(), ServedVersions.fixed("v1", "v1beta2", "v1beta1"));
        publisher.start(devices);
        assertTrue(publisher.awaitFirstPublish(WAIT), () -> "not published; failures: " + listener.failures);
        return publisher;
    }

    private List<ResourceSlice> slicesOf(String node, String driver) {
        return client.resources(ResourceSlice.class).list().getItems().stream()
                .filter(s -> node.equals(s.getSpec().getNodeName()) && driver.equals(s.getSpec().getDriver())).toList();
    }

    private List<ResourceSlice> ourSlices() {
        return slicesOf(NODE, "gpu.nvidia.com");
    }

    private ResourceSlice onlySlice() {
        List<ResourceSlice> slices = ourSlices();
        assertEquals(1, slices.size(), () -> "slices: " + slices);
        return slices.get(0);
    }

    private static List<String> deviceNames(ResourceSlice slice) {
        return slice.getSpec().getDevices().stream().map(Device::getName).toList();
    }

    /** Everything the mock received since the last call. */
    private List<RecordedRequest> drainRequests() throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            requests.add(request);
        }
        return requests;
    }

    private static List<String> writes(List<RecordedRequest> requests) {
        return requests.stream().filter(r -> !r.getMethod().equals("GET")).map(r -> r.getMethod() + " " + r.getPath()).toList();
    }

    @Test
    void firstPublishCreatesOneSliceOwnedByTheNode() throws Exception {
        ResourceSlicePublisher publisher = started(SliceTestDevices.goldenDevices());

        ResourceSlice slice = onlySlice();
        assertEquals(NODE, slice.getSpec().getNodeName());
        assertEquals(NODE, slice.getSpec().getPool().getName());
        assertEquals(1L, slice.getSpec().getPool().getGeneration());
        assertEquals(1L, slice.getSpec().getPool().getResourceSliceCount());
        assertTrue(slice.getMetadata().getName().startsWith("node-a-gpu.nvidia.com-"), slice.getMetadata().getName());
        assertEquals("0", slice.getMetadata().getLabels().get(SliceNames.LABEL_SLICE_INDEX));
        assertEquals(List.of("gpu-0", "gpu-1-mig-1g10gb-19-0"), deviceNames(slice));
        OwnerReference owner = slice.getMetadata().getOwnerReferences().get(0);
        assertEquals(List.of("v1", "Node", NODE, nodeUid, true),
                List.of(owner.getApiVersion(), owner.getKind(), owner.getName(), owner.getUid(), owner.getController()));

        PublishOutcome outcome = publisher.firstPublish().get();
        assertEquals(List.of(ResourceApiVersion.V1, 1L, 1, 2, 1, 0, 0), List.of(outcome.apiVersion(), outcome.generation(), outcome.slices(),
                outcome.devices(), outcome.created(), outcome.updated(), outcome.deleted()));
        assertTrue(outcome.sinceStart().compareTo(Duration.ZERO) > 0);
        assertEquals(List.of(outcome), listener.outcomes.subList(0, 1));
    }

    @Test
    void republishesWhenSomeoneDeletesTheSlice() throws Exception {
        started(SliceTestDevices.goldenDevices());
        String first = onlySlice().getMetadata().getUid();

        client.resources(ResourceSlice.class).withName(onlySlice().getMetadata().getName()).delete();

        await().atMost(WAIT).until(() -> ourSlices().size() == 1 && !ourSlices().get(0).getMetadata().getUid().equals(first));
        assertEquals(List.of("gpu-0", "gpu-1-mig-1g10gb-19-0"), deviceNames(onlySlice()));
    }

    @Test
    void repairsASliceSomeoneEdited() throws Exception {
        started(SliceTestDevices.goldenDevices());
        ResourceSlice edited = onlySlice();
        String uid = edited.getMetadata().getUid();
        edited.getSpec().getDevices().get(0).getAttributes().put("productName", new DeviceAttributeBuilder().withString("tampered").build());
        client.resources(ResourceSlice.class).resource(edited).update();

        await().atMost(WAIT).until(() -> "NVIDIA H100 80GB HBM3".equals(
                onlySlice().getSpec().getDevices().get(0).getAttributes().get("productName").getString()));
        ResourceSlice repaired = onlySlice();
        assertEquals(uid, repaired.getMetadata().getUid(), "repaired in place");
        assertEquals(1L, repaired.getSpec().getPool().getGeneration(), "one changed slice keeps the generation");
    }

    @Test
    void writesNothingWhenThePublishedSlicesMatch() throws Exception {
        ResourceSlicePublisher publisher = started(SliceTestDevices.goldenDevices());
        drainRequests();

        PublishOutcome outcome = publisher.resync().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertFalse(outcome.wroteAnything(), outcome::toString);
        List<RecordedRequest> requests = drainRequests();
        assertEquals(List.of(), writes(requests));
        assertTrue(requests.stream().anyMatch(r -> r.getPath().startsWith(V1_SLICES)), "the resync listed the slices: " + requests);
    }

    @Test
    void adoptsAnEquivalentSliceLeftByAPreviousRunWithoutWriting() throws Exception {
        // as the API server would return our slice: 81559Mi of memory spelled 83516416Ki
        ResourceSlice previous = (ResourceSlice) SliceSetBuilder.build(SliceTestDevices.goldenDevices(), NODE, nodeUid, 4,
                ResourceApiVersion.V1).get(0);
        previous.getSpec().getDevices().get(0).getCapacity().put("memory",
                new DeviceCapacityBuilder().withValue(new Quantity("83516416Ki")).build());
        client.resources(ResourceSlice.class).resource(previous).create();
        drainRequests();

        ResourceSlicePublisher publisher = started(SliceTestDevices.goldenDevices());

        assertFalse(publisher.firstPublish().get().wroteAnything());
        assertEquals(4L, publisher.firstPublish().get().generation());
        assertEquals(List.of(), writes(drainRequests()));
    }

    @Test
    void aChangedDeviceSetUpdatesTheOneSliceInPlace() throws Exception {
        ResourceSlicePublisher publisher = started(SliceTestDevices.goldenDevices());
        String uid = onlySlice().getMetadata().getUid();

        publisher.update(SliceTestDevices.goldenDevices().subList(0, 1));

        await().atMost(WAIT).until(() -> deviceNames(onlySlice()).equals(List.of("gpu-0")));
        assertEquals(uid, onlySlice().getMetadata().getUid());
        assertEquals(1L, onlySlice().getSpec().getPool().getGeneration());
        assertTrue(listener.outcomes.stream().anyMatch(o -> o.updated() == 1 && o.created() == 0 && o.generation() == 1), listener.outcomes::toString);
    }

    @Test
    void growingToTwoSlicesBumpsTheGeneration() throws Exception {
        ResourceSlicePublisher publisher = started(SliceTestDevices.gpus(2));
        String uid = onlySlice().getMetadata().getUid();

        publisher.update(SliceTestDevices.gpus(130));

        await().atMost(WAIT).until(() -> ourSlices().size() == 2
                && ourSlices().stream().allMatch(s -> s.getSpec().getPool().getGeneration() == 2L));
        List<ResourceSlice> slices = byIndexLabel(ourSlices());
        assertEquals(uid, slices.get(0).getMetadata().getUid(), "slice 0 is updated, not replaced");
        assertEquals(128, slices.get(0).getSpec().getDevices().size());
        assertEquals(List.of("gpu-98", "gpu-99"), deviceNames(slices.get(1)));
        assertTrue(slices.get(1).getMetadata().getName().startsWith("node-a-gpu.nvidia.com-"));
        slices.forEach(s -> assertEquals(2L, s.getSpec().getPool().getResourceSliceCount()));
    }

    /** Sorted by the slice-index label; fails when a slice lacks it. */
    private static List<ResourceSlice> byIndexLabel(List<ResourceSlice> slices) {
        List<ResourceSlice> sorted = new ArrayList<>(slices);
        sorted.sort(java.util.Comparator.comparingInt(s -> SliceNames.labelIndex(s.getMetadata().getLabels()).orElseThrow()));
        return sorted;
    }

    @Test
    void upgradingFromThePreviousReleaseRewritesItsSlicesInPlace() throws Exception {
        // what the previous release left on a node with 130 GPUs: two slices named <hex index>-gpu.nvidia.com-<node>-
        // without the index label, devices without pcieBusID
        List<String> oldUids = new ArrayList<>();
        List<io.fabric8.kubernetes.api.model.HasMetadata> previous = SliceSetBuilder.build(SliceTestDevices.gpus(130), NODE,
                nodeUid, 3, ResourceApiVersion.V1);
        for (int index = 0; index < previous.size(); index++) {
            ResourceSlice slice = (ResourceSlice) previous.get(index);
            slice.getMetadata().setGenerateName(null);
            slice.getMetadata().setName(String.format("%05x-gpu.nvidia.com-node-a-old%02d", index, index));
            slice.getMetadata().getLabels().remove(SliceNames.LABEL_SLICE_INDEX);
            slice.getSpec().getDevices().forEach(device -> device.getAttributes().remove("pcieBusID"));
            oldUids.add(client.resources(ResourceSlice.class).resource(slice).create().getMetadata().getUid());
        }
        drainRequests();

        ResourceSlicePublisher publisher = started(SliceTestDevices.gpus(130));

        List<String> writes = writes(drainRequests());
        assertTrue(writes.stream().allMatch(w -> w.startsWith("PUT ")), () -> "only in-place updates: " + writes);
        assertEquals(2, writes.size(), writes::toString);
        List<ResourceSlice> slices = byIndexLabel(ourSlices());
        assertEquals(oldUids, slices.stream().map(s -> s.getMetadata().getUid()).toList(), "the same objects, not replacements");
        assertEquals(List.of("00000-gpu.nvidia.com-node-a-old00", "00001-gpu.nvidia.com-node-a-old01"),
                slices.stream().map(s -> s.getMetadata().getName()).toList());
        // both slices changed (pcieBusID), so the generation goes up once, as upstream's rule says
        slices.forEach(s -> assertEquals(4L, s.getSpec().getPool().getGeneration()));
        assertEquals("0000:00:00.0", slices.get(0).getSpec().getDevices().get(0).getAttributes().get("pcieBusID").getString());

        drainRequests();
        assertFalse(publisher.resync().get(WAIT.toSeconds(), TimeUnit.SECONDS).wroteAnything(), "settled after one sync");
        assertEquals(List.of(), writes(drainRequests()));
    }

    @Test
    void deletesAnExtraSliceOfOurDriverAndLeavesOtherDriversAndNodesAlone() throws Exception {
        ResourceSlice extra = client.resources(ResourceSlice.class).resource(handMade("by-hand", "gpu.nvidia.com", NODE)).create();
        ResourceSlice otherDriver = client.resources(ResourceSlice.class).resource(handMade("other-driver", "example.com", NODE)).create();
        ResourceSlice otherNode = client.resources(ResourceSlice.class).resource(handMade("other-node", "gpu.nvidia.com", "node-b")).create();

        ResourceSlicePublisher publisher = started(SliceTestDevices.goldenDevices());

        PublishOutcome outcome = publisher.firstPublish().get();
        assertEquals(List.of(1, 1), List.of(outcome.created(), outcome.deleted()));
        ResourceSlice ours = onlySlice();
        assertNotEquals(extra.getMetadata().getUid(), ours.getMetadata().getUid());
        assertEquals(otherDriver.getMetadata().getResourceVersion(),
                client.resources(ResourceSlice.class).withName("other-driver").get().getMetadata().getResourceVersion());
        assertEquals(otherNode.getMetadata().getResourceVersion(),
                client.resources(ResourceSlice.class).withName("other-node").get().getMetadata().getResourceVersion());
    }

    private static ResourceSlice handMade(String name, String driver, String node) {
        return new ResourceSliceBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withDriver(driver).withNodeName(node)
                .withNewPool().withName(node).withGeneration(1L).withResourceSliceCount(1L).endPool()
                .addNewDevice().withName("gpu-0").endDevice()
                .endSpec().build();
    }

    @Test
    void retriesWithExponentialBackoffUntilTheApiServerRecovers() throws Exception {
        // fabric8 retries 5xx answers by itself; without that every failure reaches the publisher
        KubernetesClient noRetries = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(client.getConfiguration()).withRequestRetryBackoffLimit(0).build()).build();
        extraClients.add(noRetries);
        server.expect().post().withPath(V1_SLICES)
                .andReturn(500, new StatusBuilder().withCode(500).withMessage("etcdserver: request timed out").build()).times(5);
        ResourceSlicePublisher publisher = publisher(noRetries, options(), ServedVersions.fixed("v1"));

        publisher.start(SliceTestDevices.goldenDevices());
        // five failures take 50 + 100 + 200 + 400 + 400 ms of backoff, so start cannot have waited for them
        assertFalse(publisher.firstPublish().isDone(), "start returns before publishing");

        assertTrue(publisher.awaitFirstPublish(WAIT), () -> "failures: " + listener.failures);
        assertEquals(List.of(1, 2, 3, 4, 5), listener.failures.stream().map(PublishFailure::consecutiveFailures).toList());
        assertEquals(List.of(50L, 100L, 200L, 400L, 400L), listener.failures.stream().map(f -> f.retryIn().toMillis()).toList());
        PublishFailure failure = listener.failures.get(0);
        assertInstanceOf(SlicePublishException.class, failure.error());
        assertTrue(failure.error().getMessage().contains("creating ResourceSlice node-a-gpu.nvidia.com-*")
                && failure.error().getMessage().contains("HTTP 500 etcdserver: request timed out"), failure.error().getMessage());
        assertEquals(1, ourSlices().size());
        assertEquals(1, listener.outcomes.get(0).created());
    }

    @Test
    void fallsBackToV1beta1AndPublishesTheBasicDeviceShape() throws Exception {
        ResourceSlicePublisher publisher = publisher(options(), ServedVersions.fixed("v1beta1", "v1alpha3"));
        publisher.start(SliceTestDevices.goldenDevices());
        assertTrue(publisher.awaitFirstPublish(WAIT), () -> "failures: " + listener.failures);

        assertEquals(ResourceApiVersion.V1BETA1, publisher.firstPublish().get().apiVersion());
        var slices = client.resources(io.fabric8.kubernetes.api.model.resource.v1beta1.ResourceSlice.class).list().getItems();
        assertEquals(1, slices.size());
        assertEquals("resource.k8s.io/v1beta1", slices.get(0).getApiVersion());
        var device = slices.get(0).getSpec().getDevices().get(0);
        assertEquals("gpu-0", device.getName());
        assertEquals("NVIDIA H100 80GB HBM3", device.getBasic().getAttributes().get("productName").getString());
        assertEquals(new Quantity("81559Mi"), device.getBasic().getCapacity().get("memory").getValue());
    }

    @Test
    void aForcedVersionSkipsDiscovery() throws Exception {
        ResourceSlicePublisher publisher = publisher(options().withResourceApiVersion("v1beta2"), () -> {
            throw new AssertionError("discovery must not be asked when the version is forced");
        });
        publisher.start(SliceTestDevices.goldenDevices());
        assertTrue(publisher.awaitFirstPublish(WAIT), () -> "failures: " + listener.failures);
        assertEquals(1, client.resources(io.fabric8.kubernetes.api.model.resource.v1beta2.ResourceSlice.class).list().getItems().size());
    }

    @Test
    void reportsAClusterWithoutDra() {
        ResourceSlicePublisher publisher = publisher(options(), ServedVersions.fixed());
        publisher.start(SliceTestDevices.goldenDevices());
        await().atMost(WAIT).until(() -> listener.failures.size() >= 2);
        assertTrue(listener.failures.get(0).error().getMessage().startsWith("the API server serves no resource.k8s.io version"),
                listener.failures.get(0).error().getMessage());
        assertTrue(listener.outcomes.isEmpty());
    }

    @Test
    void reportsAMissingNode() {
        ResourceSlicePublisher publisher = publisher(options().withResourceApiVersion("v1").withListScope(SliceListScope.CLIENT_SIDE),
                ServedVersions.fixed("v1"));
        client.nodes().withName(NODE).delete();
        publisher.start(SliceTestDevices.goldenDevices());
        await().atMost(WAIT).until(() -> !listener.failures.isEmpty());
        assertTrue(listener.failures.get(0).error().getMessage().startsWith("Node node-a does not exist"),
                listener.failures.get(0).error().getMessage());
    }

    @Test
    void aDeviceOverTheLimitFailsInStartBeforeAnyRequest() throws Exception {
        ResourceSlicePublisher publisher = publisher(options(), ServedVersions.fixed("v1"));
        drainRequests();
        SliceLimitException e = assertThrows(SliceLimitException.class,
                () -> publisher.start(List.of(SliceTestDevices.withCounts("gpu-3", 30, 3))));
        assertTrue(e.getMessage().startsWith("device gpu-3 has 30 attributes and 3 capacities"), e.getMessage());
        assertEquals(List.of(), drainRequests());
        assertThrows(IllegalStateException.class, () -> publisher.update(SliceTestDevices.goldenDevices()), "not started");
    }

    @Test
    void stopLeavesTheSlicesByDefault() throws Exception {
        ResourceSlicePublisher publisher = started(SliceTestDevices.goldenDevices());
        publisher.stop();
        assertEquals(1, ourSlices().size());
        assertThrows(IllegalStateException.class, () -> publisher.update(SliceTestDevices.goldenDevices()));
    }

    @Test
    void stopDeletesTheSlicesWhenAskedTo() throws Exception {
        ResourceSlicePublisher publisher = publisher(options().withDeleteSlicesOnStop(true), ServedVersions.fixed("v1"));
        client.resources(ResourceSlice.class).resource(handMade("other-node", "gpu.nvidia.com", "node-b")).create();
        publisher.start(SliceTestDevices.goldenDevices());
        assertTrue(publisher.awaitFirstPublish(WAIT));

        publisher.stop();

        assertEquals(List.of(), ourSlices());
        assertEquals(1, slicesOf("node-b", "gpu.nvidia.com").size());
    }

    private static final class RecordingListener implements PublishListener {
        final List<PublishOutcome> outcomes = new CopyOnWriteArrayList<>();
        final List<PublishFailure> failures = new CopyOnWriteArrayList<>();

        @Override
        public void published(PublishOutcome outcome) {
            outcomes.add(outcome);
        }

        @Override
        public void failed(PublishFailure failure) {
            failures.add(failure);
        }
    }
}
