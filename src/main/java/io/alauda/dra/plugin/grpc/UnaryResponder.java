package io.alauda.dra.plugin.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.jboss.logging.Logger;

import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/** Answers a unary call with either the response or a gRPC status; nothing thrown escapes to the transport. */
final class UnaryResponder {

    private static final Logger LOG = Logger.getLogger(UnaryResponder.class);

    private UnaryResponder() {
    }

    static <T> void respond(String method, StreamObserver<T> observer, Supplier<T> body) {
        T response;
        try {
            response = body.get();
        } catch (StatusRuntimeException e) {
            observer.onError(e);
            return;
        } catch (RuntimeException e) {
            // Conversion bugs land here (e.g. a device the handler built that the proto builder rejects).
            LOG.errorf(e, "%s failed while building the response", method);
            observer.onError(Status.INTERNAL
                    .withDescription(method + " failed in the kubelet plugin: " + e
                            + " (see the plugin log; kubelet will retry)")
                    .withCause(e)
                    .asRuntimeException());
            return;
        }
        if (observer instanceof ServerCallStreamObserver<T> call && call.isCancelled()) {
            // Nobody reads the answer, and writing it to a connection the stopping server already tore down fails
            // on Netty's terminated event loop, logged by gRPC as SEVERE once per call.
            LOG.debugf("%s: the call was cancelled before its answer was ready; not sending it", method);
            return;
        }
        try {
            observer.onNext(response);
            observer.onCompleted();
        } catch (RejectedExecutionException e) {
            // The same race, lost after the check above: the server stopped between the check and the write.
            LOG.debugf("%s: the server stopped while the answer was being sent; not sending it", method);
        }
    }
}
