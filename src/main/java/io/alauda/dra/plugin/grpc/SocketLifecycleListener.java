package io.alauda.dra.plugin.grpc;

import java.nio.file.Path;

/** Told when a plugin socket starts serving and when it is gone (e.g. for events, metrics or tests). */
public interface SocketLifecycleListener {

    SocketLifecycleListener NONE = new SocketLifecycleListener() {
    };

    /** The socket is bound and answering. */
    default void onServing(SocketRole role, Path socket) {
    }

    /** The server is stopped and its socket file removed. */
    default void onRemoved(SocketRole role, Path socket) {
    }
}
