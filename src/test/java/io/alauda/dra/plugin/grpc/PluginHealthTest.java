package io.alauda.dra.plugin.grpc;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The liveness health service over TCP, probing real plugin sockets. */
class PluginHealthTest {

    @TempDir
    Path tmp;

    private KubeletPluginPaths paths;
    private UnixSocketGrpcServer registration;
    private UnixSocketGrpcServer dra;
    private PluginHealthServer health;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws IOException {
        paths = new KubeletPluginPaths(tmp.resolve("plugins"), tmp.resolve("registry"));
        dra = startDra();
        registration = UnixSocketGrpcServer.start(paths.registrationSocket(), List.of(
                new RegistrationService("gpu.nvidia.com", paths.draSocket(), new RegistrationState())));
        health = PluginHealthServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), paths,
                Duration.ofSeconds(2));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", health.port()).usePlaintext().build();
    }

    private UnixSocketGrpcServer startDra() throws IOException {
        FakeDraHandler handler = new FakeDraHandler();
        return UnixSocketGrpcServer.start(paths.draSocket(), List.of(new DraV1Service(handler), new DraV1beta1Service(handler)));
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
        health.close();
        registration.close();
        dra.close();
    }

    private ServingStatus check(String service) {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }

    @Test
    void servingWhenBothSocketsAnswer() {
        assertEquals(ServingStatus.SERVING, check(""));
        assertEquals(ServingStatus.SERVING, check("liveness"));
    }

    @Test
    void notServingOnceTheDraServerIsStoppedAndServingAgainAfterItReturns() throws IOException {
        assertEquals(ServingStatus.SERVING, check("liveness"));

        dra.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> check("liveness") == ServingStatus.NOT_SERVING);

        dra = startDra();
        await().atMost(Duration.ofSeconds(10)).until(() -> check("liveness") == ServingStatus.SERVING);
    }

    @Test
    void notServingWhenTheRegistrationSocketIsGone() {
        registration.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> check("") == ServingStatus.NOT_SERVING);
    }

    @Test
    void unknownServiceNameIsNotFound() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> check("some.other.Service"));

        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    }

    @Test
    void watchIsNotOffered() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .watch(HealthCheckRequest.getDefaultInstance()).hasNext());

        assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
    }
}
