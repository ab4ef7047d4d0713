package io.alauda.dra.plugin.grpc;

import io.alauda.dra.plugin.api.KubeletDevice;
import io.alauda.dra.plugin.api.NodePrepareResult;
import io.alauda.dra.plugin.api.ResourceClaimRef;
import io.alauda.dra.plugin.proto.drav1beta1.Claim;
import io.alauda.dra.plugin.proto.drav1beta1.DRAPluginGrpc;
import io.alauda.dra.plugin.proto.drav1beta1.Device;
import io.alauda.dra.plugin.proto.drav1beta1.NodePrepareResourcesRequest;
import io.alauda.dra.plugin.proto.drav1beta1.NodePrepareResourcesResponse;
import io.alauda.dra.plugin.proto.drav1beta1.NodeUnprepareResourcesRequest;
import io.alauda.dra.plugin.proto.drav1beta1.NodeUnprepareResourcesResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The v1beta1 DRA service on the same socket and handler as v1. */
class DraV1beta1ServiceTest {

    @TempDir
    Path tmp;

    private final FakeDraHandler handler = new FakeDraHandler();
    private KubeletPluginServers servers;
    private UdsClient client;
    private DRAPluginGrpc.DRAPluginBlockingStub stub;

    @BeforeEach
    void start() throws IOException {
        KubeletPluginPaths paths = new KubeletPluginPaths(tmp.resolve("plugins"), tmp.resolve("registry"));
        servers = KubeletPluginServers.start(paths, handler);
        client = new UdsClient(paths.draSocket());
        stub = DRAPluginGrpc.newBlockingStub(client.channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws InterruptedException {
        client.close();
        servers.close();
    }

    private static Claim claim(String namespace, String uid, String name) {
        return Claim.newBuilder().setNamespace(namespace).setUid(uid).setName(name).build();
    }

    @Test
    void prepareRoundTripsEveryFieldAndDropsTheShareId() throws Exception {
        handler.onPrepare = claims -> Map.of(
                "uid-1", NodePrepareResult.prepared(List.of(new KubeletDevice(List.of("gpu"), "node-b",
                        "gpu-1-mig-1g10gb-19-0", List.of("k8s.gpu.nvidia.com/claim=uid-1-mig"), "share-9"))),
                "uid-2", NodePrepareResult.failed("opaque config rejected"));

        NodePrepareResourcesResponse response = stub.nodePrepareResources(NodePrepareResourcesRequest.newBuilder()
                .addClaims(claim("team-a", "uid-1", "train"))
                .addClaims(claim("team-b", "uid-2", "infer"))
                .build());

        assertEquals(List.of(List.of(new ResourceClaimRef("team-a", "uid-1", "train"),
                new ResourceClaimRef("team-b", "uid-2", "infer"))), handler.prepareCalls);
        Device device = response.getClaimsOrThrow("uid-1").getDevices(0);
        assertEquals(List.of("gpu"), device.getRequestNamesList());
        assertEquals("node-b", device.getPoolName());
        assertEquals("gpu-1-mig-1g10gb-19-0", device.getDeviceName());
        assertEquals(List.of("k8s.gpu.nvidia.com/claim=uid-1-mig"), device.getCdiDeviceIdsList());
        assertEquals("", response.getClaimsOrThrow("uid-1").getError());
        // v1beta1 has no field 5: read with the v1 schema, the wire bytes must carry no share_id.
        assertFalse(io.alauda.dra.plugin.proto.drav1.Device.parseFrom(device.toByteString()).hasShareId());
        assertEquals("opaque config rejected", response.getClaimsOrThrow("uid-2").getError());
    }

    @Test
    void unprepareRoundTrips() {
        handler.onUnprepare = claims -> Map.of("uid-1", "", "uid-2", "still in use");

        NodeUnprepareResourcesResponse response = stub.nodeUnprepareResources(NodeUnprepareResourcesRequest.newBuilder()
                .addClaims(claim("ns", "uid-1", "a")).addClaims(claim("ns", "uid-2", "b")).build());

        assertEquals(List.of(List.of(new ResourceClaimRef("ns", "uid-1", "a"), new ResourceClaimRef("ns", "uid-2", "b"))),
                handler.unprepareCalls);
        assertEquals("", response.getClaimsOrThrow("uid-1").getError());
        assertEquals("still in use", response.getClaimsOrThrow("uid-2").getError());
    }

    @Test
    void emptyRequestSucceeds() {
        assertEquals(0, stub.nodePrepareResources(NodePrepareResourcesRequest.getDefaultInstance()).getClaimsCount());
        assertEquals(0, stub.nodeUnprepareResources(NodeUnprepareResourcesRequest.getDefaultInstance()).getClaimsCount());
    }

    @Test
    void handlerExceptionBecomesInternal() {
        handler.onUnprepare = claims -> {
            throw new IllegalStateException("checkpoint disk full");
        };

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.nodeUnprepareResources(
                NodeUnprepareResourcesRequest.newBuilder().addClaims(claim("ns", "uid-1", "a")).build()));

        assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("checkpoint disk full"), e.getStatus().getDescription());
    }
}
