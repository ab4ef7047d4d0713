package io.alauda.dra.plugin.grpc;

import io.alauda.dra.plugin.api.CallCancellation;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gRPC call context read as a {@link CallCancellation}: live, past its deadline, cancelled. */
class GrpcCallCancellationTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private static Optional<String> seenIn(Context context) {
        Context previous = context.attach();
        try {
            return GrpcCallCancellation.ofCurrentCall().reason();
        } finally {
            context.detach(previous);
        }
    }

    @Test
    void aCallWithTimeLeftIsNotCancelled() {
        assertEquals(Optional.empty(), seenIn(Context.ROOT.withDeadline(Deadline.after(1, TimeUnit.HOURS), timer)));
    }

    @Test
    void aCallPastItsDeadlineSaysSo() {
        Context.CancellableContext expired = Context.ROOT.withDeadline(Deadline.after(-1, TimeUnit.SECONDS), timer);

        assertEquals(Optional.of("the call's deadline passed, so kubelet no longer waits for the answer"),
                seenIn(expired));
    }

    @Test
    void aCancelledCallSaysItWasCancelled() {
        Context.CancellableContext call = Context.ROOT.withCancellation();
        call.cancel(Status.CANCELLED.asRuntimeException());

        Optional<String> reason = seenIn(call);

        assertTrue(reason.orElse("").startsWith("the call was cancelled"), reason.toString());
    }
}
