package io.alauda.dra.plugin.role;

import io.alauda.dra.device.DeviceType;

import io.alauda.dra.plugin.api.ResourceClaimRef;
import io.alauda.dra.plugin.grpc.RegistrationListener;
import io.alauda.dra.plugin.grpc.RegistrationOutcome;
import io.alauda.dra.plugin.prepare.ClaimErrorType;
import io.alauda.dra.plugin.prepare.PrepareObserver;
import io.alauda.dra.plugin.prepare.RecoveryReport;
import io.alauda.dra.slice.PublishFailure;
import io.alauda.dra.slice.PublishListener;
import io.alauda.dra.slice.PublishOutcome;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Locale;

/**
 * Where the plugin's parts report what happens: logs for the node's admin, events for `kubectl describe pod`, and
 * the node metrics. One object so that the three never disagree.
 */
public class PluginTelemetry implements PrepareObserver, PublishListener, RegistrationListener {

    private static final Logger LOG = Logger.getLogger(PluginTelemetry.class);

    private final PluginEvents events;
    private final PluginMetrics metrics;
    /** A request starts and finishes on the same gRPC thread; the timer follows it there. */
    private final ThreadLocal<PluginMetrics.RequestTimer> running = new ThreadLocal<>();

    public PluginTelemetry(PluginEvents events, PluginMetrics metrics) {
        this.events = events;
        this.metrics = metrics;
    }

    @Override
    public void requestStarted(Operation operation, int claims) {
        running.set(metrics.startRequest(operation == Operation.PREPARE ? PluginMetrics.PREPARE : PluginMetrics.UNPREPARE));
    }

    @Override
    public void prepareError(ClaimErrorType type, ResourceClaimRef claim, String message) {
        metrics.prepareError(type.name().toLowerCase(Locale.ROOT));
        LOG.warnf("prepare of claim %s/%s (%s) failed (%s): %s", claim.namespace(), claim.name(), claim.uid(), type, message);
    }

    @Override
    public void unprepareError(ClaimErrorType type, ResourceClaimRef claim, String message) {
        metrics.unprepareError(type.name().toLowerCase(Locale.ROOT));
        LOG.warnf("unprepare of claim %s/%s (%s) failed (%s): %s", claim.namespace(), claim.name(), claim.uid(), type, message);
    }

    @Override
    public void requestFinished(Operation operation, Duration duration, int failedClaims) {
        PluginMetrics.RequestTimer timer = running.get();
        if (timer != null) {
            timer.close();
            running.remove();
        }
        LOG.debugf("%s finished in %d ms, %d claim(s) failed", operation, duration.toMillis(), failedClaims);
    }

    @Override
    public void preparedDevices(DeviceType type, int count) {
        metrics.preparedDevices(type.value(), count);
        LOG.debugf("%d %s device(s) prepared on this node", count, type.value());
    }

    @Override
    public void recovered(RecoveryReport report) {
        metrics.checkpointRecovered(report.reason().name().toLowerCase(Locale.ROOT));
        LOG.warnf("plugin state repaired at start (%s): %s", report.reason(), report.detail());
        events.warning("CheckpointRecovered", report.reason() + ": " + report.detail());
    }

    @Override
    public void published(PublishOutcome outcome) {
        metrics.slicePublished(true);
        if (outcome.wroteAnything()) {
            LOG.infof("published %d device(s) in %d ResourceSlice(s), %s, pool generation %d",
                    outcome.devices(), outcome.slices(), outcome.apiVersion(), outcome.generation());
        }
    }

    @Override
    public void failed(PublishFailure failure) {
        metrics.slicePublished(false);
        LOG.warnf("publishing the ResourceSlice failed (%d in a row), retrying in %d s: %s", failure.consecutiveFailures(),
                failure.retryIn().toSeconds(), failure.error().getMessage());
    }

    @Override
    public void onRegistrationStatus(RegistrationOutcome outcome) {
        metrics.registrationStatus(outcome.registered(), outcome.error());
        if (outcome.registered()) {
            LOG.info("kubelet registered the plugin");
        } else {
            events.warning("RegistrationFailed", "kubelet refused the plugin: " + outcome.error());
        }
    }
}
