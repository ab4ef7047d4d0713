package io.alauda.dra.plugin.prepare;

import io.alauda.dra.plugin.api.ResourceClaimRef;
import io.alauda.dra.plugin.grpc.KubeletPluginPaths;
import io.alauda.dra.plugin.grpc.KubeletPluginServers;
import io.alauda.dra.plugin.grpc.UdsChannels;
import io.alauda.dra.plugin.proto.drav1.Claim;
import io.alauda.dra.plugin.proto.drav1.DRAPluginGrpc;
import io.alauda.dra.plugin.proto.drav1.Device;
import io.alauda.dra.plugin.proto.drav1.NodePrepareResourceResponse;
import io.alauda.dra.plugin.proto.drav1.NodePrepareResourcesRequest;
import io.alauda.dra.plugin.proto.drav1.NodeUnprepareResourcesRequest;
import io.alauda.dra.plugin.proto.drav1.NodeUnprepareResourcesResponse;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.grpc.ManagedChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.alauda.dra.plugin.prepare.TestClaims.claim;
import static io.alauda.dra.plugin.prepare.TestNode.GPU_1;
import static io.alauda.dra.plugin.prepare.TestNode.MIG_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The preparer behind the real kubelet-facing Unix socket, called with a generated v1 client as kubelet would. */
@EnableKubernetesMockClient(crud = true)
class PrepareOverSocketsTest extends PreparerTestBase {

    private KubeletPluginServers servers;
    private EpollEventLoopGroup group;
    private ManagedChannel channel;
    private DRAPluginGrpc.DRAPluginBlockingStub kubelet;

    @BeforeEach
    void serve() throws IOException {
        KubeletPluginPaths paths = new KubeletPluginPaths(tmp.resolve("kubelet"), tmp.resolve("registry"));
        servers = KubeletPluginServers.start(paths, preparer);
        group = new EpollEventLoopGroup(1);
        channel = UdsChannels.open(paths.draSocket(), group);
        kubelet = DRAPluginGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        servers.close();
    }

    private static Claim wire(ResourceClaimRef ref) {
        return Claim.newBuilder().setNamespace(ref.namespace()).setUid(ref.uid()).setName(ref.name()).build();
    }

    @Test
    void kubeletPreparesAndUnpreparesClaimsThroughTheSocket() {
        ResourceClaimRef train = claim("team-a", "train").result("gpu/large", GPU_1).result("mig", MIG_A).create(client);
        ResourceClaimRef missing = new ResourceClaimRef("team-a", "0b9c4e8e-5a41-4bd4-9d6a-1e7c3f2a7b10", "missing");

        var prepared = kubelet.nodePrepareResources(NodePrepareResourcesRequest.newBuilder()
                .addClaims(wire(train)).addClaims(wire(missing)).build());

        assertEquals(2, prepared.getClaimsCount());
        NodePrepareResourceResponse ok = prepared.getClaimsOrThrow(train.uid());
        assertEquals("", ok.getError());
        assertEquals(2, ok.getDevicesCount());
        Device gpu = ok.getDevices(0);
        assertEquals(List.of("gpu"), gpu.getRequestNamesList());
        assertEquals(TestNode.NODE_NAME, gpu.getPoolName());
        assertEquals(GPU_1, gpu.getDeviceName());
        assertEquals(List.of(cdiId(train, GPU_1)), gpu.getCdiDeviceIdsList());
        assertFalse(gpu.hasShareId());
        assertEquals(List.of(cdiId(train, MIG_A)), ok.getDevices(1).getCdiDeviceIdsList());
        assertTrue(Files.exists(node.specFile(train.uid())));
        assertContains("ResourceClaim team-a/missing was not found", prepared.getClaimsOrThrow(missing.uid()).getError());

        NodeUnprepareResourcesResponse unprepared = kubelet.nodeUnprepareResources(NodeUnprepareResourcesRequest
                .newBuilder().addClaims(wire(train)).addClaims(wire(missing)).build());

        assertEquals("", unprepared.getClaimsOrThrow(train.uid()).getError());
        assertEquals("", unprepared.getClaimsOrThrow(missing.uid()).getError());
        assertFalse(Files.exists(node.specFile(train.uid())));
    }

    @Test
    void hostileClaimGetsAnErrorEntryAndTheServerKeepsServing() {
        ResourceClaimRef good = claim("team-a", "good").result("gpu", GPU_1).create(client);

        var response = kubelet.nodePrepareResources(NodePrepareResourcesRequest.newBuilder()
                .addClaims(Claim.newBuilder().setNamespace("team-a").setUid("../../etc/passwd").setName("x"))
                .addClaims(wire(good)).build());

        assertContains("claim UID '../../etc/passwd' is not valid", response.getClaimsOrThrow("../../etc/passwd")
                .getError());
        assertEquals("", response.getClaimsOrThrow(good.uid()).getError());
    }
}
