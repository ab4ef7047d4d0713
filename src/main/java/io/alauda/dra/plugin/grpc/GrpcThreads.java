package io.alauda.dra.plugin.grpc;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Threads for our hand-built gRPC servers and clients: one epoll loop each, and a bounded call executor. */
final class GrpcThreads {

    private GrpcThreads() {
    }

    static EpollEventLoopGroup eventLoop(String name) {
        requireEpoll();
        return new EpollEventLoopGroup(1, new DefaultThreadFactory(name, true));
    }

    /**
     * Calls run here, {@code threads} at a time; beyond that they queue, and past {@code queue} waiting calls they are
     * refused (the caller gets an error status) instead of growing memory without limit.
     */
    static ThreadPoolExecutor callExecutor(String name, int threads, int queue) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queue), new DefaultThreadFactory(name, true), new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    static void requireEpoll() {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("the Netty native epoll transport is not available, so Unix domain sockets"
                    + " cannot be served (needs Linux x86_64 and netty-transport-native-epoll): "
                    + Epoll.unavailabilityCause());
        }
    }
}
