package io.alauda.dra.plugin.grpc;

import com.google.common.util.concurrent.ListenableFuture;
import io.alauda.dra.plugin.api.KubeletDevice;
import io.alauda.dra.plugin.api.NodePrepareResult;
import io.alauda.dra.plugin.api.ResourceClaimRef;
import io.alauda.dra.plugin.proto.drav1.Claim;
import io.alauda.dra.plugin.proto.drav1.DRAPluginGrpc;
import io.alauda.dra.plugin.proto.drav1.Device;
import io.alauda.dra.plugin.proto.drav1.NodePrepareResourceResponse;
import io.alauda.dra.plugin.proto.drav1.NodePrepareResourcesRequest;
import io.alauda.dra.plugin.proto.drav1.NodePrepareResourcesResponse;
import io.alauda.dra.plugin.proto.drav1.NodeUnprepareResourcesRequest;
import io.alauda.dra.plugin.proto.drav1.NodeUnprepareResourcesResponse;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The v1 DRA service through a real Unix socket, with a fake handler behind it. */
class DraServiceTest {

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
    void theHandlerSeesTheCallEndWhenKubeletsDeadlinePasses() {
        handler.onPrepare = claims -> {
            // A slow prepare, as with an API server that does not answer: it outlives the caller's deadline.
            await().atMost(Duration.ofSeconds(20)).until(() -> handler.lastCancellation.reason().isPresent());
            return Map.of();
        };

        StatusRuntimeException gaveUp = assertThrows(StatusRuntimeException.class, () -> stub
                .withDeadlineAfter(500, TimeUnit.MILLISECONDS)
                .nodePrepareResources(NodePrepareResourcesRequest.newBuilder().addClaims(claim("ns", "uid-1", "a")).build()));

        assertEquals(Status.Code.DEADLINE_EXCEEDED, gaveUp.getStatus().getCode());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(
                Optional.of("the call's deadline passed, so kubelet no longer waits for the answer"),
                handler.lastCancellation.reason()));
    }

    @Test
    void prepareCarriesEveryClaimAndDeviceFieldBothWays() {
        handler.onPrepare = claims -> Map.of(
                "uid-1", NodePrepareResult.prepared(List.of(
                        new KubeletDevice(List.of("gpu", "aux"), "node-a", "gpu-0",
                                List.of("k8s.gpu.nvidia.com/claim=uid-1-gpu-0", "k8s.gpu.nvidia.com/claim=extra"), "share-7"),
                        new KubeletDevice(List.of(), "node-a", "gpu-1", List.of("k8s.gpu.nvidia.com/claim=uid-1-gpu-1"), null))),
                "uid-2", NodePrepareResult.failed("claim not allocated yet"));

        NodePrepareResourcesResponse response = stub.nodePrepareResources(NodePrepareResourcesRequest.newBuilder()
                .addClaims(claim("team-a", "uid-1", "train"))
                .addClaims(claim("team-b", "uid-2", "infer"))
                .build());

        assertEquals(List.of(List.of(new ResourceClaimRef("team-a", "uid-1", "train"),
                new ResourceClaimRef("team-b", "uid-2", "infer"))), handler.prepareCalls);
        assertEquals(2, response.getClaimsCount());

        NodePrepareResourceResponse first = response.getClaimsOrThrow("uid-1");
        assertEquals("", first.getError());
        assertEquals(2, first.getDevicesCount());
        Device gpu0 = first.getDevices(0);
        assertEquals(List.of("gpu", "aux"), gpu0.getRequestNamesList());
        assertEquals("node-a", gpu0.getPoolName());
        assertEquals("gpu-0", gpu0.getDeviceName());
        assertEquals(List.of("k8s.gpu.nvidia.com/claim=uid-1-gpu-0", "k8s.gpu.nvidia.com/claim=extra"),
                gpu0.getCdiDeviceIdsList());
        assertTrue(gpu0.hasShareId());
        assertEquals("share-7", gpu0.getShareId());
        Device gpu1 = first.getDevices(1);
        assertEquals(List.of(), gpu1.getRequestNamesList());
        assertEquals("gpu-1", gpu1.getDeviceName());
        assertFalse(gpu1.hasShareId(), "a device without share ID must not carry the optional field");

        NodePrepareResourceResponse second = response.getClaimsOrThrow("uid-2");
        assertEquals("claim not allocated yet", second.getError());
        assertEquals(0, second.getDevicesCount());
    }

    @Test
    void unprepareReportsPerClaimErrors() {
        handler.onUnprepare = claims -> Map.of("uid-1", "", "uid-2", "MIG device busy");

        NodeUnprepareResourcesResponse response = stub.nodeUnprepareResources(NodeUnprepareResourcesRequest.newBuilder()
                .addClaims(claim("team-a", "uid-1", "train"))
                .addClaims(claim("team-b", "uid-2", "infer"))
                .build());

        assertEquals(List.of(List.of(new ResourceClaimRef("team-a", "uid-1", "train"),
                new ResourceClaimRef("team-b", "uid-2", "infer"))), handler.unprepareCalls);
        assertEquals("", response.getClaimsOrThrow("uid-1").getError());
        assertEquals("MIG device busy", response.getClaimsOrThrow("uid-2").getError());
    }

    @Test
    void emptyRequestsSucceedWithEmptyMapsWithoutCallingTheHandler() {
        assertEquals(0, stub.nodePrepareResources(NodePrepareResourcesRequest.getDefaultInstance()).getClaimsCount());
        assertEquals(0, stub.nodeUnprepareResources(NodeUnprepareResourcesRequest.getDefaultInstance()).getClaimsCount());
        assertTrue(handler.prepareCalls.isEmpty());
        assertTrue(handler.unprepareCalls.isEmpty());
    }

    @Test
    void claimsTheHandlerLeftOutAreAnsweredAsFailed() {
        handler.onPrepare = claims -> Map.of("uid-1", NodePrepareResult.prepared(List.of()));
        handler.onUnprepare = claims -> Map.of("uid-2", "");

        NodePrepareResourcesResponse prepared = stub.nodePrepareResources(NodePrepareResourcesRequest.newBuilder()
                .addClaims(claim("ns", "uid-1", "a")).addClaims(claim("ns", "uid-2", "b")).build());
        NodeUnprepareResourcesResponse unprepared = stub.nodeUnprepareResources(NodeUnprepareResourcesRequest.newBuilder()
                .addClaims(claim("ns", "uid-1", "a")).addClaims(claim("ns", "uid-2", "b")).build());

        assertEquals("", prepared.getClaimsOrThrow("uid-1").getError());
        assertTrue(prepared.getClaimsOrThrow("uid-2").getError().contains("uid-2"),
                prepared.getClaimsOrThrow("uid-2").getError());
        assertTrue(unprepared.getClaimsOrThrow("uid-1").getError().contains("uid-1"),
                unprepared.getClaimsOrThrow("uid-1").getError());
        assertEquals("", unprepared.getClaimsOrThrow("uid-2").getError());
    }

    @Test
    void answersForClaimsNotAskedForAreDropped() {
        handler.onPrepare = claims -> Map.of("uid-1", NodePrepareResult.prepared(List.of()),
                "stranger", NodePrepareResult.prepared(List.of()));

        NodePrepareResourcesResponse response = stub.nodePrepareResources(NodePrepareResourcesRequest.newBuilder()
                .addClaims(claim("ns", "uid-1", "a")).build());

        assertEquals(List.of("uid-1"), List.copyOf(response.getClaimsMap().keySet()));
    }

    @Test
    void claimListedTwiceReachesTheHandlerOnce() {
        handler.onPrepare = claims -> Map.of("uid-1", NodePrepareResult.prepared(List.of()));

        stub.nodePrepareResources(NodePrepareResourcesRequest.newBuilder()
                .addClaims(claim("ns", "uid-1", "a")).addClaims(claim("ns", "uid-1", "a")).build());

        assertEquals(List.of(List.of(new ResourceClaimRef("ns", "uid-1", "a"))), handler.prepareCalls);
    }

    @Test
    void claimWithoutNamespaceFailsAloneWithoutReachingTheHandler() {
        handler.onPrepare = claims -> Map.of("uid-1", NodePrepareResult.prepared(List.of()));

        NodePrepareResourcesResponse response = stub.nodePrepareResources(NodePrepareResourcesRequest.newBuilder()
                .addClaims(claim("ns", "uid-1", "a")).addClaims(claim("", "uid-2", "b")).build());

        assertEquals(List.of(List.of(new ResourceClaimRef("ns", "uid-1", "a"))), handler.prepareCalls);
        assertEquals("", response.getClaimsOrThrow("uid-1").getError());
        assertTrue(response.getClaimsOrThrow("uid-2").getError().contains("namespace"));
    }

    @Test
    void claimWithoutUidIsInvalidArgument() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.nodePrepareResources(
                NodePrepareResourcesRequest.newBuilder().addClaims(claim("ns", "", "a")).build()));

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("claims[0].uid"), e.getStatus().getDescription());
        assertTrue(handler.prepareCalls.isEmpty());
    }

    @Test
    void handlerExceptionBecomesInternalAndTheServerKeepsServing() {
        handler.onPrepare = claims -> {
            throw new IllegalStateException("NVML went away");
        };
        handler.onUnprepare = claims -> null;

        StatusRuntimeException prepare = assertThrows(StatusRuntimeException.class, () -> stub.nodePrepareResources(
                NodePrepareResourcesRequest.newBuilder().addClaims(claim("ns", "uid-1", "a")).build()));
        StatusRuntimeException unprepare = assertThrows(StatusRuntimeException.class, () -> stub.nodeUnprepareResources(
                NodeUnprepareResourcesRequest.newBuilder().addClaims(claim("ns", "uid-1", "a")).build()));

        assertEquals(Status.Code.INTERNAL, prepare.getStatus().getCode());
        assertTrue(prepare.getStatus().getDescription().contains("NVML went away"), prepare.getStatus().getDescription());
        assertEquals(Status.Code.INTERNAL, unprepare.getStatus().getCode());

        handler.onPrepare = claims -> Map.of("uid-1", NodePrepareResult.prepared(List.of()));
        assertEquals("", stub.nodePrepareResources(NodePrepareResourcesRequest.newBuilder()
                .addClaims(claim("ns", "uid-1", "a")).build()).getClaimsOrThrow("uid-1").getError());
    }

    @Test
    void malformedProtobufBytesGetAnErrorStatusAndTheServerKeepsServing() {
        MethodDescriptor<byte[], byte[]> rawPrepare = rawMethod(DRAPluginGrpc.getNodePrepareResourcesMethod().getFullMethodName());
        // Field 1 (claims) announces 5 bytes but only one follows.
        byte[] truncated = {0x0A, 0x05, 0x0A};
        // Field number 0 is never valid.
        byte[] badTag = {0x00, 0x01};

        for (byte[] bytes : List.of(truncated, badTag)) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
                    client.channel, rawPrepare, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), bytes));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
            assertTrue(e.getStatus().getDescription().startsWith(
                    "malformed k8s.io.kubelet.pkg.apis.dra.v1.DRAPlugin/NodePrepareResources request"), e.getStatus().toString());
        }
        assertTrue(handler.prepareCalls.isEmpty());

        // The same raw client gets a proper (empty) answer to well-formed bytes, and the typed client still works.
        byte[] empty = ClientCalls.blockingUnaryCall(client.channel, rawPrepare,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), new byte[0]);
        assertArrayEquals(new byte[0], empty);
        assertEquals(0, stub.nodePrepareResources(NodePrepareResourcesRequest.getDefaultInstance()).getClaimsCount());
    }

    @Test
    void callsAreServedInParallel() throws Exception {
        CountDownLatch bothInside = new CountDownLatch(2);
        handler.onPrepare = claims -> {
            bothInside.countDown();
            try {
                boolean parallel = bothInside.await(10, TimeUnit.SECONDS);
                return Map.of(claims.get(0).uid(), parallel
                        ? NodePrepareResult.prepared(List.of())
                        : NodePrepareResult.failed("the other call never arrived while this one was running"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        };
        DRAPluginGrpc.DRAPluginFutureStub async = DRAPluginGrpc.newFutureStub(client.channel)
                .withDeadlineAfter(20, TimeUnit.SECONDS);

        ListenableFuture<NodePrepareResourcesResponse> a = async.nodePrepareResources(
                NodePrepareResourcesRequest.newBuilder().addClaims(claim("ns", "uid-a", "a")).build());
        ListenableFuture<NodePrepareResourcesResponse> b = async.nodePrepareResources(
                NodePrepareResourcesRequest.newBuilder().addClaims(claim("ns", "uid-b", "b")).build());

        assertEquals("", a.get(20, TimeUnit.SECONDS).getClaimsOrThrow("uid-a").getError());
        assertEquals("", b.get(20, TimeUnit.SECONDS).getClaimsOrThrow("uid-b").getError());
    }

    static MethodDescriptor<byte[], byte[]> rawMethod(String fullName) {
        MethodDescriptor.Marshaller<byte[]> raw = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(byte[] value) {
                return new ByteArrayInputStream(value);
            }

            @Override
            public byte[] parse(InputStream stream) {
                try {
                    return stream.readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        return MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(fullName)
                .setRequestMarshaller(raw)
                .setResponseMarshaller(raw)
                .build();
    }
}
