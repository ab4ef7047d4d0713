package io.alauda.dra.health;

import io.alauda.dra.nvml.NvmlEvent;
import io.alauda.dra.nvml.NvmlEventType;
import io.alauda.dra.nvml.NvmlException;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes what the NVML health monitor does to the log, for the kubelet plugin. java.util.logging, not JBoss logging:
 * this package also runs on discover's bare classpath, and Quarkus routes java.util.logging into its own log.
 * Routine steps (registration, a reachable GPU, ECC and power events) at INFO or FINE; anything that makes a device
 * unhealthy or unwatched at WARNING.
 */
public final class LoggingHealthObserver implements NvmlHealthObserver {

    private static final Logger LOG = Logger.getLogger(NvmlHealthMonitor.class.getName());

    @Override
    public void registered(String gpuUuid, long supported, long registered) {
        LOG.info(() -> "NVML health events for " + gpuUuid + ": registered " + NvmlEventType.names(registered)
                + " (supported: " + NvmlEventType.names(supported) + ")");
    }

    @Override
    public void unmonitored(String gpuUuid, String reason) {
        LOG.warning(() -> "NVML health events are not watched on " + gpuUuid + ": " + reason);
    }

    @Override
    public void event(NvmlEvent event, String outcome) {
        LOG.log(event.isXid() ? Level.WARNING : Level.INFO, () -> "NVML event " + event + ": " + outcome);
    }

    @Override
    public void checked(String gpuUuid, Reachability result, String detail) {
        Level level = switch (result) {
            case REACHABLE -> detail.isEmpty() ? Level.FINE : Level.INFO;
            case LOST -> Level.WARNING;
            case INCONCLUSIVE -> Level.INFO;
        };
        LOG.log(level, () -> "GPU " + gpuUuid + " reachability: " + result + (detail.isEmpty() ? "" : " (" + detail + ")"));
    }

    @Override
    public void waitFailed(NvmlException failure) {
        LOG.warning(() -> "waiting for NVML events failed: " + failure.getMessage() + "; waiting again after a pause");
    }

    @Override
    public void failed(RuntimeException failure) {
        LOG.log(Level.SEVERE, "the NVML health monitor stopped; every GPU is marked unmonitored", failure);
    }
}
