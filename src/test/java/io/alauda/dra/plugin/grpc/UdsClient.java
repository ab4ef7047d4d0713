package io.alauda.dra.plugin.grpc;

import io.grpc.ManagedChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A real Unix-socket client channel for tests, closed with try-with-resources. */
final class UdsClient implements AutoCloseable {

    private final EpollEventLoopGroup group = new EpollEventLoopGroup(1);
    final ManagedChannel channel;

    UdsClient(Path socket) {
        channel = UdsChannels.open(socket, group);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
