package io.alauda.dra.plugin.grpc;

/** Told about every NotifyRegistrationStatus from kubelet, e.g. to emit an event or move a metric. */
@FunctionalInterface
public interface RegistrationListener {

    /** Runs on a gRPC thread before kubelet gets its answer: keep it short, it must not block. */
    void onRegistrationStatus(RegistrationOutcome outcome);
}
