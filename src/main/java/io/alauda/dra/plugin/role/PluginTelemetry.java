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

/**
 * Where the plugin's parts report what happens: logs for the node's admin, events for `kubectl describe pod`, and
 * the node metrics. One object so that the three never disagree.
 */
public class PluginTelemetry implements PrepareObserver, PublishListener, RegistrationListener {

    private static final Logger LOG = Logger.getLogger(PluginTelemetry.class);

    private final PluginEvents events;

    public PluginTelemetry(PluginEvents events) {
        this.events = events;
    }

    @Override
    public void prepareError(ClaimErrorType type, ResourceClaimRef claim, String message) {
        LOG.warnf("prepare of claim %s/%s (%s) failed (%s): %s", claim.namespace(), claim.name(), claim.uid(), type, message);
    }

    @Override
    public void unprepareError(ClaimErrorType type, ResourceClaimRef claim, String message) {
        LOG.warnf("unprepare of claim %s/%s (%s) failed (%s): %s", claim.namespace(), claim.name(), claim.uid(), type, message);
    }

    @Override
    public void requestFinished(Operation operation, Duration duration, int failedClaims) {
        LOG.debugf("%s finished in %d ms, %d claim(s) failed", operation, duration.toMillis(), failedClaims);
    }

    @Override
    public void preparedDevices(DeviceType type, int count) {
        LOG.debugf("%d %s device(s) prepared on this node", count, type.value());
    }

    @Override
    public void recovered(RecoveryReport report) {
        LOG.warnf("plugin state repaired at start (%s): %s", report.reason(), report.detail());
        events.warning("CheckpointRecovered", report.reason() + ": " + report.detail());
    }

    @Override
    public void published(PublishOutcome outcome) {
        if (outcome.wroteAnything()) {
            LOG.infof("published %d device(s) in %d ResourceSlice(s), %s, pool generation %d",
                    outcome.devices(), outcome.slices(), outcome.apiVersion(), outcome.generation());
        }
    }

    @Override
    public void failed(PublishFailure failure) {
        LOG.warnf("publishing the ResourceSlice failed (%d in a row), retrying in %d s: %s", failure.consecutiveFailures(),
                failure.retryIn().toSeconds(), failure.error().getMessage());
    }

    @Override
    public void onRegistrationStatus(RegistrationOutcome outcome) {
        if (outcome.registered()) {
            LOG.info("kubelet registered the plugin");
        } else {
            events.warning("RegistrationFailed", "kubelet refused the plugin: " + outcome.error());
        }
    }
}
