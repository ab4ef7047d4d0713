package io.alauda.dra.plugin.grpc;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;

import java.nio.file.Path;

/** Client channels to a Unix domain socket, as kubelet opens them (used by the health probe and by tests). */
public final class UdsChannels {

    private UdsChannels() {
    }

    /**
     * A plaintext channel to {@code socket} on {@code eventLoop} (an epoll group, e.g. one made for the caller).
     * The authority is {@code localhost}, which is what grpc-go (kubelet) sends for a {@code unix:} target; grpc-java's
     * default would be the raw path, which some servers refuse.
     */
    public static ManagedChannel open(Path socket, EventLoopGroup eventLoop) {
        return NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollDomainSocketChannel.class)
                .eventLoopGroup(eventLoop)
                .overrideAuthority("localhost")
                .usePlaintext()
                .build();
    }
}
