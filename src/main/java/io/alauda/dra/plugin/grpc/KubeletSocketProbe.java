package io.alauda.dra.plugin.grpc;

import io.alauda.dra.plugin.proto.drav1.DRAPluginGrpc;
import io.alauda.dra.plugin.proto.drav1.NodePrepareResourcesRequest;
import io.alauda.dra.plugin.proto.registration.InfoRequest;
import io.alauda.dra.plugin.proto.registration.RegistrationGrpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.netty.channel.epoll.EpollEventLoopGroup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Asks both plugin sockets whether they answer, the way kubelet would: GetInfo on the registration socket, and an
 * empty NodePrepareResources on the DRA socket. Thread-safe; channels are kept and reused between checks.
 */
public final class KubeletSocketProbe implements AutoCloseable {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

    /** {@code healthy} with an empty detail, or unhealthy with what failed. */
    public record Result(boolean healthy, String detail) {
    }

    private final Duration timeout;
    private final EpollEventLoopGroup eventLoop;
    private final ManagedChannel registrationChannel;
    private final ManagedChannel draChannel;

    public KubeletSocketProbe(Path registrationSocket, Path draSocket, Duration timeout) {
        this.timeout = timeout;
        this.eventLoop = GrpcThreads.eventLoop("probe-io");
        this.registrationChannel = UdsChannels.open(registrationSocket, eventLoop);
        this.draChannel = UdsChannels.open(draSocket, eventLoop);
    }

    public Result check() {
        // A socket that was down backs the channel off for up to minutes; without this a restarted server would
        // still look dead to the probe.
        registrationChannel.resetConnectBackoff();
        draChannel.resetConnectBackoff();
        try {
            RegistrationGrpc.newBlockingStub(registrationChannel)
                    .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .getInfo(InfoRequest.getDefaultInstance());
        } catch (StatusRuntimeException e) {
            return new Result(false, "registration socket did not answer GetInfo: " + e.getStatus());
        }
        try {
            DRAPluginGrpc.newBlockingStub(draChannel)
                    .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .nodePrepareResources(NodePrepareResourcesRequest.getDefaultInstance());
        } catch (StatusRuntimeException e) {
            return new Result(false, "DRA socket did not answer an empty NodePrepareResources: " + e.getStatus());
        }
        return new Result(true, "");
    }

    @Override
    public void close() {
        registrationChannel.shutdownNow();
        draChannel.shutdownNow();
        eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
