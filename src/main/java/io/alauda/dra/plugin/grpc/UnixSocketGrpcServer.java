package io.alauda.dra.plugin.grpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One grpc-java server on one Unix domain socket, with its own single-thread epoll loop and a bounded executor that
 * runs calls in parallel. Kubelet talks to each of our sockets through a separate connection, so a server per
 * socket keeps their lifecycles independent (the registration socket must go before the DRA socket).
 */
public final class UnixSocketGrpcServer implements AutoCloseable {

    public static final int DEFAULT_THREADS = 8;
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

    private static final Logger LOG = Logger.getLogger(UnixSocketGrpcServer.class);
    private static final int QUEUED_CALLS = 256;
    private static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    private final Path socket;
    private final Server server;
    private final EpollEventLoopGroup eventLoop;
    private final ExecutorService executor;
    private boolean stopped;

    private UnixSocketGrpcServer(Path socket, Server server, EpollEventLoopGroup eventLoop, ExecutorService executor) {
        this.socket = socket;
        this.server = server;
        this.eventLoop = eventLoop;
        this.executor = executor;
    }

    public static UnixSocketGrpcServer start(Path socket, List<BindableService> services) throws IOException {
        return start(socket, services, DEFAULT_THREADS);
    }

    /**
     * Binds {@code socket} (replacing a stale socket file, creating missing parent directories 0750) and serves.
     *
     * @throws IllegalArgumentException         the path cannot hold a Unix socket (relative, too long)
     * @throws java.nio.file.FileAlreadyExistsException a regular file, directory or link is at the path
     * @throws IOException                      the socket could not be bound
     */
    public static UnixSocketGrpcServer start(Path socket, List<BindableService> services, int threads)
            throws IOException {
        GrpcThreads.requireEpoll();
        SocketFiles.prepareForBind(socket);
        String name = "uds-" + socket.getFileName();
        EpollEventLoopGroup eventLoop = GrpcThreads.eventLoop(name + "-io");
        ExecutorService executor = GrpcThreads.callExecutor(name + "-call", threads, QUEUED_CALLS);
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(eventLoop)
                .workerEventLoopGroup(eventLoop)
                .executor(executor)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES);
        services.forEach(service -> builder.addService(MalformedRequestGuard.wrap(service.bindService())));
        Server server = builder.build();
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            server.shutdownNow();
            eventLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            executor.shutdownNow();
            throw new IOException("could not serve gRPC on Unix socket " + socket + ": " + e.getMessage(), e);
        }
        SocketFiles.restrictSocketMode(socket);
        LOG.infof("serving %s on unix://%s", services.stream().map(s -> s.bindService().getServiceDescriptor().getName())
                .toList(), socket);
        return new UnixSocketGrpcServer(socket, server, eventLoop, executor);
    }

    public Path socketPath() {
        return socket;
    }

    public synchronized boolean isRunning() {
        return !stopped && !server.isShutdown();
    }

    /**
     * Stops accepting calls, lets running ones finish within {@code grace}, cancels the rest, and removes the socket
     * file. Idempotent.
     */
    public synchronized void stop(Duration grace) {
        if (stopped) {
            return;
        }
        stopped = true;
        server.shutdown();
        try {
            if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("calls on %s still running after %s; cancelling them", socket, grace);
                server.shutdownNow();
                server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            SocketFiles.removeSocket(socket);
            eventLoop.shutdownGracefully(0, grace.toMillis(), TimeUnit.MILLISECONDS);
            executor.shutdownNow();
            LOG.infof("stopped serving on unix://%s", socket);
        }
    }

    @Override
    public void close() {
        stop(DEFAULT_GRACE);
    }
}
