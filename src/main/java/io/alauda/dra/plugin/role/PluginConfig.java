package io.alauda.dra.plugin.role;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/**
 * Settings of the kubelet-plugin role. application.properties maps each to the environment variable the operator
 * sets on the DaemonSet (operator/resources/PluginEnv, upstream's names where upstream has one).
 */
@ConfigMapping(prefix = "dra.plugin")
public interface PluginConfig {

    /** The node this pod runs on (downward API spec.nodeName); names the pool and the slice. */
    Optional<String> nodeName();

    /** The pod's namespace, name and UID, for events. */
    Optional<String> namespace();

    Optional<String> podName();

    Optional<String> podUid();

    /** The host's driver root, as the container runtime sees it; CDI specs name host paths under it. */
    @WithDefault("/")
    String hostDriverRoot();

    /** Where the host's driver root is mounted in this container. */
    @WithDefault("/driver-root")
    String containerDriverRoot();

    @WithDefault("/var/run/cdi")
    String cdiRoot();

    /** The host's /etc/containerd, mounted read-only, for the check that containerd has CDI enabled. */
    @WithDefault("/host/etc/containerd")
    String containerdConfigDir();

    @WithDefault("/var/lib/kubelet/plugins")
    String pluginsDir();

    @WithDefault("/var/lib/kubelet/plugins_registry")
    String registrarDir();

    @WithDefault("51516")
    int healthcheckPort();

    Optional<String> cdiHookPath();

    /**
     * The nvidia-cdi-hook this image ships, copied into the plugin directory when the node has none
     * (CdiHookLocator). Never set by the operator; the tests' simulated nodes point it at a stand-in.
     */
    @WithDefault("/usr/bin/nvidia-cdi-hook")
    String imageCdiHook();

    @WithDefault("auto")
    String resourceApiVersion();

    @WithDefault("/sys")
    String sysfsRoot();

    /** The plugin's own image (IMAGE_NAME, as upstream names it); MPS control daemons run it. */
    Optional<String> image();

    /** FEATURE_GATES as upstream writes it: {@code Name=true,Other=false}. */
    Optional<String> featureGates();

    /**
     * An NVML recording ({@code discover --record}) to answer from instead of the real library: for demos and
     * benchmarks on machines without a GPU. Never set by the operator.
     */
    Optional<String> nvmlRecording();

    /**
     * How ResourceSlices are listed and watched: {@code field-selector} (a real API server) or {@code client-side}
     * (an API server that cannot select on spec.nodeName, such as the fabric8 mock).
     */
    @WithDefault("field-selector")
    String sliceListScope();
}
