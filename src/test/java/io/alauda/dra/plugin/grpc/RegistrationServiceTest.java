package io.alauda.dra.plugin.grpc;

import io.alauda.dra.plugin.proto.registration.InfoRequest;
import io.alauda.dra.plugin.proto.registration.PluginInfo;
import io.alauda.dra.plugin.proto.registration.RegistrationGrpc;
import io.alauda.dra.plugin.proto.registration.RegistrationStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registration socket, as kubelet's plugin watcher uses it. */
class RegistrationServiceTest {

    @TempDir
    Path tmp;

    private final RegistrationState state = new RegistrationState();
    private final List<RegistrationOutcome> notified = new CopyOnWriteArrayList<>();
    private KubeletPluginPaths paths;
    private KubeletPluginServers servers;
    private UdsClient client;
    private RegistrationGrpc.RegistrationBlockingStub stub;

    @BeforeEach
    void start() throws IOException {
        paths = new KubeletPluginPaths(tmp.resolve("plugins"), tmp.resolve("registry"));
        state.addListener(notified::add);
        servers = KubeletPluginServers.start(paths, new FakeDraHandler(), state, SocketLifecycleListener.NONE);
        client = new UdsClient(tmp.resolve("registry").resolve("gpu.nvidia.com-reg.sock"));
        stub = RegistrationGrpc.newBlockingStub(client.channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws InterruptedException {
        client.close();
        servers.close();
    }

    @Test
    void getInfoDescribesTheDraPlugin() {
        PluginInfo info = stub.getInfo(InfoRequest.getDefaultInstance());

        assertEquals("DRAPlugin", info.getType());
        assertEquals("gpu.nvidia.com", info.getName());
        assertEquals(tmp.resolve("plugins").resolve("gpu.nvidia.com").resolve("dra.sock").toString(), info.getEndpoint());
        assertTrue(Path.of(info.getEndpoint()).isAbsolute());
        assertEquals(List.of("v1.DRAPlugin", "v1beta1.DRAPlugin"), info.getSupportedVersionsList());
    }

    @Test
    void acceptedRegistrationIsRecordedAndAnswered() {
        assertFalse(state.isRegistered());

        stub.notifyRegistrationStatus(RegistrationStatus.newBuilder().setPluginRegistered(true).build());

        assertTrue(state.isRegistered());
        assertEquals("", state.lastError());
        assertEquals(1, notified.size());
        assertTrue(notified.get(0).registered());
    }

    @Test
    void refusedRegistrationIsRecordedAndAnsweredWithAnErrorLikeTheUpstreamHelper() {
        stub.notifyRegistrationStatus(RegistrationStatus.newBuilder().setPluginRegistered(true).build());

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.notifyRegistrationStatus(
                RegistrationStatus.newBuilder().setPluginRegistered(false)
                        .setError("none of the versions [v9.DRAPlugin] are supported").build()));

        assertEquals(Status.Code.UNKNOWN, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("none of the versions [v9.DRAPlugin] are supported"));
        assertFalse(state.isRegistered());
        assertEquals("none of the versions [v9.DRAPlugin] are supported", state.lastError());
        assertEquals(2, notified.size());
        assertFalse(notified.get(1).registered());
        // The refusal did not take the socket down.
        assertEquals("gpu.nvidia.com", stub.getInfo(InfoRequest.getDefaultInstance()).getName());
    }

    @Test
    void aFailingListenerDoesNotChangeWhatKubeletIsTold() {
        state.addListener(outcome -> {
            throw new IllegalStateException("metrics registry closed");
        });

        stub.notifyRegistrationStatus(RegistrationStatus.newBuilder().setPluginRegistered(true).build());

        assertTrue(state.isRegistered());
        assertEquals(1, notified.size());
    }
}
