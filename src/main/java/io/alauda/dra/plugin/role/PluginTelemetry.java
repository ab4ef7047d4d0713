package io.alauda.dra.plugin.role;

import io.alauda.dra.device.DeviceType;
import io.alauda.dra.health.HealthProblem;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Where the plugin's parts report what happens: logs for the node's admin, events for `kubectl describe pod`, and
 * the node metrics. One object so that the three never disagree.
 */
public class PluginTelemetry implements PrepareObserver, PublishListener, RegistrationListener {

    private static final Logger LOG = Logger.getLogger(PluginTelemetry.class);

    private final PluginEvents events;
    private final PluginMetrics metrics;
    private final AtomicBoolean taintsDroppedSaid = new AtomicBoolean();
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

    /**
     * Said once per process in the log and as a Warning on the plugin's Pod; the gauge stays at 1 for as long as it
     * lasts.
     */
    @Override
    public void deviceTaints(boolean kept) {
        metrics.deviceTaintsDropped(!kept);
        if (!kept && taintsDroppedSaid.compareAndSet(false, true)) {
            events.warning("DeviceTaintsDropped", "the API server dropped the device taints of this node's ResourceSlices: it "
                    + "serves no device taints, so unhealthy GPUs stay allocatable. Enable the feature gate DRADeviceTaints=true "
                    + "on kube-apiserver, kube-scheduler and kube-controller-manager (off by default before Kubernetes 1.36); "
                    + "the plugin publishes the taints again on the next health change");
        } else if (kept && taintsDroppedSaid.compareAndSet(true, false)) {
            LOG.info("the API server keeps device taints now");
        }
    }

    /** @param devices the published devices it stands against (a GPU's MIG devices with it) */
    public void deviceUnhealthy(String uuid, List<String> devices, List<HealthProblem> problems) {
        metrics.healthTransition(PluginMetrics.BECAME_UNHEALTHY);
        String what = problems.stream().filter(p -> p.effect().unhealthy())
                .map(p -> p.key() + (p.value().isEmpty() ? "" : "=" + p.value()) + " " + p.effect().kubeName()
                        + (p.message().isEmpty() ? "" : " (" + p.message() + ")"))
                .collect(Collectors.joining("; "));
        events.nodeWarning("DeviceUnhealthy", uuid + " " + devices + " is unhealthy: " + what
                + ". It is tainted in the ResourceSlice, so no new claim gets it, and kubelet shows it in the status of pods "
                + "that use it; the taint goes when the device recovers (for example after the admin resets it)");
    }

    public void deviceRecovered(String uuid, List<String> devices) {
        metrics.healthTransition(PluginMetrics.BECAME_HEALTHY);
        events.nodeNormal("DeviceRecovered", uuid + " " + devices + " is healthy again; its taints are removed");
    }

    /** Registers the device-health meters; called only when device health is on. */
    public void enableDeviceHealth() {
        metrics.enableDeviceHealth();
    }

    public void unhealthyDevices(Map<String, Integer> byTaintKey) {
        metrics.unhealthyDevices(byTaintKey);
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
