package io.alauda.dra.plugin.prepare;

import io.alauda.dra.plugin.api.ResourceClaimRef;
import io.alauda.dra.plugin.checkpoint.EntryState;
import io.alauda.dra.plugin.grpc.KubeletPluginPaths;
import io.alauda.dra.plugin.grpc.KubeletPluginServers;
import io.alauda.dra.plugin.grpc.UdsChannels;
import io.alauda.dra.plugin.proto.drav1.Claim;
import io.alauda.dra.plugin.proto.drav1.DRAPluginGrpc;
import io.alauda.dra.plugin.proto.drav1.NodePrepareResourcesRequest;
import io.alauda.dra.plugin.proto.drav1.NodePrepareResourcesResponse;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.grpc.ManagedChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import static io.alauda.dra.plugin.prepare.TestClaims.claim;
import static io.alauda.dra.plugin.prepare.TestNode.GPU_0;
import static io.alauda.dra.plugin.prepare.TestNode.GPU_1;
import static io.alauda.dra.plugin.prepare.TestNode.MIG_A;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The plugin stops (as {@code KubeletPlugin.close()} does it: preparer closed, then the sockets) while a
 * NodePrepareResources call is in the middle of its claims: what was prepared stays prepared, the claim being read
 * and the ones after it leave nothing behind, and the log says so once instead of once per claim.
 */
@EnableKubernetesMockClient(crud = true)
class ShutdownDuringPrepareTest extends PreparerTestBase {

    private final CountDownLatch secondGetInFlight = new CountDownLatch(1);
    private final CountDownLatch apiServerAnswers = new CountDownLatch(1);
    private WatchedClaimSource source;
    private KubeletPluginServers servers;
    private EpollEventLoopGroup group;
    private ManagedChannel channel;

    @BeforeEach
    void serve() throws IOException {
        source = new WatchedClaimSource(new ResourceClaimFetcher(client, List.of("v1")));
        // The GET of the second claim hangs until the test lets the API server answer, or the thread is interrupted
        // (as the real fetcher turns an interrupt into a failed GET).
        source.during = ref -> {
            if (!ref.name().equals("second")) {
                return;
            }
            secondGetInFlight.countDown();
            try {
                if (!apiServerAnswers.await(30, TimeUnit.SECONDS)) {
                    throw new AssertionError("the test never let the API server answer");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClaimFailure(ClaimErrorType.API_ERROR, "GET interrupted", e);
            }
        };
        observer = new RecordingObserver();
        preparer = ClaimPreparer.open(node.settings("boot-1"), source, observer);
        KubeletPluginPaths paths = new KubeletPluginPaths(tmp.resolve("kubelet"), tmp.resolve("registry"));
        servers = KubeletPluginServers.start(paths, preparer);
        group = new EpollEventLoopGroup(1);
        channel = UdsChannels.open(paths.draSocket(), group);
    }

    @AfterEach
    void close() throws InterruptedException {
        apiServerAnswers.countDown();
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        servers.close();
    }

    private NodePrepareResourcesRequest request(ResourceClaimRef... refs) {
        NodePrepareResourcesRequest.Builder request = NodePrepareResourcesRequest.newBuilder();
        for (ResourceClaimRef ref : refs) {
            request.addClaims(Claim.newBuilder().setNamespace(ref.namespace()).setUid(ref.uid()).setName(ref.name()));
        }
        return request.build();
    }

    @Test
    void shutdownWhileAClaimIsReadFinishesThePreparedOneAndLeavesNothingOfTheRest() throws Exception {
        ResourceClaimRef first = claim("team-a", "first").result("gpu", GPU_0).create(client);
        ResourceClaimRef second = claim("team-a", "second").result("gpu", GPU_1).create(client);
        ResourceClaimRef third = claim("team-a", "third").result("mig", MIG_A).create(client);
        var call = DRAPluginGrpc.newFutureStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .nodePrepareResources(request(first, second, third));
        assertEquals(true, secondGetInFlight.await(20, TimeUnit.SECONDS), "the second claim's GET started");

        NodePrepareResourcesResponse response;
        try (CapturedLog log = new CapturedLog()) {
            preparer.close();
            apiServerAnswers.countDown();
            response = call.get(20, TimeUnit.SECONDS);
            servers.stop(Duration.ofSeconds(5));

            assertEquals(List.of(), log.at(Level.WARNING));
            assertEquals(1, log.at(Level.INFO).stream().filter(l -> l.contains("shutting down")
                    || l.contains("preparer closed")).count(), String.join("\n", log.at(Level.INFO)));
        }

        assertEquals("", response.getClaimsOrThrow(first.uid()).getError());
        assertContains("the kubelet plugin is shutting down while the plugin worked on it",
                response.getClaimsOrThrow(second.uid()).getError());
        assertContains("the kubelet plugin is shutting down before the plugin reached it",
                response.getClaimsOrThrow(third.uid()).getError());
        assertConsistent(first, second, third);
    }

    @Test
    void shutdownThatOutlastsTheGraceInterruptsTheGetAndStillLeavesNothingHalfDone() throws Exception {
        ResourceClaimRef first = claim("team-a", "first").result("gpu", GPU_0).create(client);
        ResourceClaimRef second = claim("team-a", "second").result("gpu", GPU_1).create(client);
        ResourceClaimRef third = claim("team-a", "third").result("mig", MIG_A).create(client);
        DRAPluginGrpc.newFutureStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .nodePrepareResources(request(first, second, third));
        assertEquals(true, secondGetInFlight.await(20, TimeUnit.SECONDS), "the second claim's GET started");

        try (CapturedLog log = CapturedLog.everything()) {
            preparer.close();
            // The API server never answers: after the grace the server cancels the call and interrupts its thread.
            servers.stop(Duration.ofMillis(300));
            await().atMost(Duration.ofSeconds(20)).until(() -> observer.finished.size() == 1);

            // The one warning left is the server saying it cancelled the running call.
            assertEquals(1, log.at(Level.WARNING).size(), String.join("\n", log.at(Level.WARNING)));
            assertContains("still running after", log.at(Level.WARNING).get(0));
        }
        assertEquals(List.of("first", "second"), source.fetched);
        assertConsistent(first, second, third);
    }

    /** The first claim fully prepared, the others not at all, and no other file in the CDI or plugin directory. */
    private void assertConsistent(ResourceClaimRef first, ResourceClaimRef second, ResourceClaimRef third) {
        assertEquals(List.of("first", "second"), source.fetched, "the third claim was not read");
        assertEquals(EntryState.PREPARE_COMPLETED, preparer.checkpointEntries().get(first.uid()).state());
        assertEquals(List.of(first.uid()), List.copyOf(preparer.checkpointEntries().keySet()));
        assertEquals(List.of("cdi/" + node.specFile(first.uid()).getFileName(),
                "gpu.nvidia.com/checkpoint.json"), node.files());
        assertEquals(List.of(), observer.errors);
    }
}
