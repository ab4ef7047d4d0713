package io.alauda.dra.plugin.grpc;

import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UnaryResponderTest {

    /** An observer whose transport is gone: writing the answer fails the way Netty's terminated event loop fails it. */
    private static final class StoppedTransport implements StreamObserver<String> {
        private final RuntimeException failure;
        final List<String> sent = new ArrayList<>();

        StoppedTransport(RuntimeException failure) {
            this.failure = failure;
        }

        @Override
        public void onNext(String value) {
            throw failure;
        }

        @Override
        public void onError(Throwable t) {
            sent.add("error " + t);
        }

        @Override
        public void onCompleted() {
            sent.add("completed");
        }
    }

    @Test
    void anAnswerTheStoppedServerCannotSendIsDroppedNotThrownIntoGrpc() {
        StoppedTransport transport = new StoppedTransport(new RejectedExecutionException("event executor terminated"));
        assertDoesNotThrow(() -> UnaryResponder.respond("NodePrepareResources", transport, () -> "answer"));
        assertEquals(List.of(), transport.sent);
    }

    @Test
    void otherFailuresWhileSendingStillSurface() {
        StoppedTransport transport = new StoppedTransport(new IllegalStateException("call already closed"));
        assertThrows(IllegalStateException.class, () -> UnaryResponder.respond("NodePrepareResources", transport, () -> "answer"));
    }
}
