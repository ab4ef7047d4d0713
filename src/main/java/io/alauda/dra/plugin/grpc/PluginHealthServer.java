package io.alauda.dra.plugin.grpc;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The TCP gRPC server for the liveness probe ({@code grpc.health.v1.Health}), port 51516 by default as in the
 * upstream chart. It probes the plugin's own sockets on every Check.
 */
public final class PluginHealthServer implements AutoCloseable {

    public static final int DEFAULT_PORT = 51516;

    private static final Logger LOG = Logger.getLogger(PluginHealthServer.class);

    private final Server server;
    private final KubeletSocketProbe probe;
    private final EpollEventLoopGroup eventLoop;
    private final ExecutorService executor;

    private PluginHealthServer(Server server, KubeletSocketProbe probe, EpollEventLoopGroup eventLoop,
                               ExecutorService executor) {
        this.server = server;
        this.probe = probe;
        this.eventLoop = eventLoop;
        this.executor = executor;
    }

    /**
     * @param bind    address to listen on; port 0 picks a free port (see {@link #port()})
     * @param paths   whose sockets to probe
     * @param timeout deadline for each of the two probe calls
     */
    public static PluginHealthServer start(InetSocketAddress bind, KubeletPluginPaths paths, Duration timeout)
            throws IOException {
        if (bind.getPort() < 0 || bind.getPort() > 65535) {
            throw new IllegalArgumentException("health port " + bind.getPort() + " is out of range; use 1-65535, or 0"
                    + " for any free port");
        }
        KubeletSocketProbe probe = new KubeletSocketProbe(paths.registrationSocket(), paths.draSocket(), timeout);
        EpollEventLoopGroup eventLoop = GrpcThreads.eventLoop("health-io");
        ExecutorService executor = GrpcThreads.callExecutor("health-call", 2, 16);
        Server server = NettyServerBuilder.forAddress(bind)
                .channelType(EpollServerSocketChannel.class)
                .bossEventLoopGroup(eventLoop)
                .workerEventLoopGroup(eventLoop)
                .executor(executor)
                .addService(new PluginHealthService(probe::check))
                .build();
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            server.shutdownNow();
            probe.close();
            eventLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            executor.shutdownNow();
            throw new IOException("could not serve the gRPC health service on " + bind + ": " + e.getMessage(), e);
        }
        LOG.infof("serving grpc.health.v1.Health on %s", server.getListenSockets());
        return new PluginHealthServer(server, probe, eventLoop, executor);
    }

    /** The bound TCP port (useful when started on port 0). */
    public int port() {
        return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        probe.close();
        eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        executor.shutdownNow();
    }
}
