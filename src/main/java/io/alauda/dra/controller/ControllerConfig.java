package io.alauda.dra.controller;

import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Set;

/**
 * Configuration of the controller role. The defaults read the environment the operator gives the controller pod
 * (operator/resources/PluginEnv), so no application.properties entry is needed for them.
 */
@ConfigMapping(prefix = "dra.controller")
public interface ControllerConfig {

    /** auto (newest served), v1, v1beta2 or v1beta1. */
    @WithDefault("${RESOURCE_API_VERSION:auto}")
    String resourceApiVersion();

    /** The pod's namespace: where the Lease lives. */
    @WithDefault("${NAMESPACE:default}")
    String namespace();

    /** This replica's identity in the Lease. */
    @WithDefault("${POD_NAME:${HOSTNAME:nvidia-dra-driver-gpu-controller}}")
    String podName();

    @WithDefault("${LEADER_ELECTION_ENABLED:false}")
    boolean leaderElection();

    @WithDefault(LeaseSettings.LEASE_NAME)
    String leaseName();

    @WithDefault("15s")
    Duration leaseDuration();

    @WithDefault("10s")
    Duration renewDeadline();

    @WithDefault("2s")
    Duration retryPeriod();

    /** DeviceClasses whose pending claims count as ours (allocated claims count by their results' driver). */
    @WithDefault("gpu.nvidia.com,mig.nvidia.com")
    Set<String> deviceClasses();

    /** The NvidiaDraDriver's spec.nodeSelector as key=value,key=value. */
    @WithDefault("${PLUGIN_NODE_SELECTOR:nvidia-device-enable=pgpu-dra}")
    String nodeSelector();

    /**
     * The NvidiaDraDriver's spec.conflictingNodeLabels as key=value,key=value; "none" for none (an empty
     * environment variable reads as unset in MicroProfile Config, and would bring back the default).
     */
    @WithDefault("${PLUGIN_CONFLICTING_NODE_LABELS:gpu=on}")
    String conflictingNodeLabels();

    /** Ask the API server for our driver's slices only; off for API servers (or mocks) without the selector. */
    @WithDefault("true")
    boolean sliceFieldSelector();

    @WithDefault("1s")
    Duration metricsInterval();

    @WithDefault("30s")
    Duration heartbeat();

    @WithDefault("5m")
    Duration cleanupInterval();

    /** A claim of our DeviceClasses pending this long gets an UnsatisfiableClaim event if the doctor finds it cannot be allocated. */
    @WithDefault("10s")
    Duration unsatisfiableAfter();

    /** How often the leader looks for such claims. */
    @WithDefault("5s")
    Duration explainInterval();

    default ControllerSettings settings(ResourceApiVersion api) {
        String conflicting = "none".equalsIgnoreCase(conflictingNodeLabels().trim()) ? "" : conflictingNodeLabels();
        LeaseSettings lease = leaderElection()
                ? new LeaseSettings(namespace(), leaseName(), podName(), leaseDuration(), renewDeadline(), retryPeriod())
                : null;
        return new ControllerSettings(api, deviceClasses(), NodeSelection.parse(nodeSelector(), conflicting), sliceFieldSelector(),
                metricsInterval(), heartbeat(), cleanupInterval(), podName(), lease,
                new ControllerSettings.ExplainSettings(unsatisfiableAfter(), explainInterval(),
                        ControllerSettings.ExplainSettings.DEFAULT.recheck(), ControllerSettings.ExplainSettings.DEFAULT.perPass()));
    }
}
