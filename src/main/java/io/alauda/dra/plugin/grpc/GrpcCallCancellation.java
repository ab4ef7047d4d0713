package io.alauda.dra.plugin.grpc;

import io.alauda.dra.plugin.api.CallCancellation;
import io.grpc.Context;
import io.grpc.Deadline;

import java.util.Optional;

/**
 * The gRPC call running on this thread as a {@link CallCancellation}. grpc-java cancels a server call's
 * {@link Context} when the client's deadline passes, when the client cancels (kubelet does when its own context ends),
 * and when the server is shut down with calls still running.
 */
final class GrpcCallCancellation implements CallCancellation {

    private final Context context;

    private GrpcCallCancellation(Context context) {
        this.context = context;
    }

    /** Must be called on the thread that runs the call (the service method), where {@link Context#current()} is the call's. */
    static CallCancellation ofCurrentCall() {
        return new GrpcCallCancellation(Context.current());
    }

    @Override
    public Optional<String> reason() {
        if (!context.isCancelled()) {
            return Optional.empty();
        }
        Deadline deadline = context.getDeadline();
        if (deadline != null && deadline.isExpired()) {
            return Optional.of("the call's deadline passed, so kubelet no longer waits for the answer");
        }
        return Optional.of("the call was cancelled (kubelet stopped waiting, or the plugin's socket is closing)");
    }
}
