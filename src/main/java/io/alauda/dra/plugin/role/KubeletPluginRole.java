package io.alauda.dra.plugin.role;

import io.alauda.dra.Role;
import io.alauda.dra.RoleConfig;
import io.alauda.dra.api.v1alpha1.FeatureGates;
import io.alauda.dra.cdi.CdiHookLocator;
import io.alauda.dra.cdi.DriverRoots;
import io.alauda.dra.cdi.UnixDeviceNodeSource;
import io.alauda.dra.device.NodeInventory;

import io.alauda.dra.nvml.NvmlDiscovery;
import io.alauda.dra.nvml.PciTopology;
import io.alauda.dra.health.HealthMonitor;
import io.alauda.dra.health.HealthSettings;
import io.alauda.dra.health.LoggingHealthObserver;
import io.alauda.dra.health.NvmlHealthMonitor;
import io.alauda.dra.nvml.JnaNvmlEvents;
import io.alauda.dra.nvml.NvmlLibraryLocator;
import io.alauda.dra.nvml.replay.NvmlReplay;
import io.alauda.dra.nvml.replay.Recording;
import io.alauda.dra.nvml.replay.SysfsReplay;
import io.alauda.dra.plugin.checkpoint.BootIdSource;
import io.alauda.dra.plugin.grpc.KubeletPluginPaths;
import io.alauda.dra.preflight.Finding;
import io.alauda.dra.preflight.PreflightReport;
import io.alauda.dra.resourceapi.ServedVersions;
import io.alauda.dra.slice.Backoff;
import io.alauda.dra.slice.SliceListScope;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts the kubelet plugin in the kubelet-plugin role. The node checks and discovery run on their own thread and are
 * retried with backoff (the NVIDIA driver may still be loading, or a driver container still starting), so the process
 * stays up, says what it waits for (log, pod condition, Node event, metric) and serves its metrics meanwhile; the
 * DaemonSet's startup probe fails until the sockets answer. A node whose checks fail still registers, with no devices.
 */
@ApplicationScoped
public class KubeletPluginRole {

    private static final Logger LOG = Logger.getLogger(KubeletPluginRole.class);
    /** 5 s doubling to 1 min, jittered like the slice publisher's retries so that a cluster's plugins do not retry in step. */
    static final Backoff START_RETRY = Backoff.exponential(Duration.ofSeconds(5), Duration.ofMinutes(1), 0.2);
    /** Upstream's gate for device health: NVML events become device taints and the kubelet health stream. */
    static final String DEVICE_HEALTH_GATE = "NVMLDeviceHealthCheck";

    @Inject
    RoleConfig roleConfig;

    @Inject
    PluginConfig config;

    @Inject
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile KubeletPlugin plugin;
    private Thread starter;

    void onStart(@Observes StartupEvent event) {
        if (roleConfig.parsedRole() != Role.KUBELET_PLUGIN) {
            return;
        }
        PluginSettings settings = settings(config);
        PluginMetrics metrics = new PluginMetrics(registry, settings.nodeName());
        PluginEvents events = new PluginEvents(client, config.namespace().orElse(null), config.podName().orElse(null),
                config.podUid().orElse(null), settings.nodeName());
        PluginTelemetry telemetry = new PluginTelemetry(events, metrics);
        NodePreflightReporter reporter = new NodePreflightReporter(client, config.namespace().orElse(null),
                config.podName().orElse(null), events, metrics, Clock.systemUTC());
        Map<String, Boolean> gates = settings.featureGates();
        List<String> notImplemented = FeatureGates.notImplemented(gates);
        if (!notImplemented.isEmpty()) {
            LOG.warnf("FEATURE_GATES turns on %s, which this driver version does not implement; claims that need them"
                    + " fail at prepare", notImplemented);
        }
        boolean deviceHealth = FeatureGates.on(gates, DEVICE_HEALTH_GATE);
        starter = new Thread(() -> startWithRetries(settings, telemetry, reporter, deviceHealth), "kubelet-plugin-start");
        starter.setDaemon(true);
        starter.start();
    }

    static PluginSettings settings(PluginConfig config) {
        return new PluginSettings(
                config.nodeName().orElse(null),
                Path.of(config.containerDriverRoot()),
                Path.of(config.hostDriverRoot()),
                Path.of(config.cdiRoot()),
                new KubeletPluginPaths(Path.of(config.pluginsDir()), Path.of(config.registrarDir())),
                config.healthcheckPort(),
                config.cdiHookPath().orElse(null),
                config.resourceApiVersion(),
                "client-side".equals(config.sliceListScope()) ? SliceListScope.CLIENT_SIDE : SliceListScope.FIELD_SELECTOR,
                FeatureGates.parse(config.featureGates().orElse(null)),
                config.namespace().orElse(null),
                config.image().orElse(null));
    }

    private void startWithRetries(PluginSettings settings, PluginTelemetry telemetry, NodePreflightReporter reporter,
                                  boolean deviceHealth) {
        int failures = 0;
        CdiHookLocator.Choice hook = null;
        NodePreflight preflight = preflight(settings);
        while (stopping.getCount() > 0) {
            try {
                if (hook == null) {
                    hook = chooseCdiHook(settings, Path.of(config.imageCdiHook()));
                }
                Finding files = preflight.driverFiles();
                if (!files.outcome().allowsDevices()) {
                    reporter.report(preflight.report(files, null, hook));
                    throw new IllegalStateException(files.message());
                }
                NodeInventory inventory = discovery(settings).discover();
                PreflightReport report = preflight.report(files, inventory.driverVersion(), hook);
                reporter.report(report);
                String withheld = report.allowsDevices() ? null : report.summary();
                if (withheld != null) {
                    LOG.errorf("publishing no devices on this node: %s", withheld);
                }
                PluginSettings chosen = settings.withCdiHookPath(hook.hostPath().orElse(null));
                plugin = KubeletPlugin.start(chosen, client, inventory, withheld,
                        ServedVersions.fromApiServer(client), new UnixDeviceNodeSource(), BootIdSource.proc(), telemetry,
                        deviceHealth ? DeviceHealthSettings.on(healthMonitors(chosen, inventory)) : DeviceHealthSettings.OFF);
                return;
            } catch (Exception e) {
                Duration wait = START_RETRY.delayAfter(++failures);
                LOG.errorf("the kubelet plugin could not start, retrying in %d s: %s", wait.toSeconds(), e.getMessage());
                LOG.debug("start failure", e);
                if (!sleep(wait)) {
                    return;
                }
            }
        }
    }

    /** @return false when the role is stopping (or the thread was interrupted) meanwhile */
    private boolean sleep(Duration wait) {
        try {
            return !stopping.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private NodePreflight preflight(PluginSettings settings) {
        return new NodePreflight(() -> DriverRoots.forDriverRoot(settings.containerDriverRoot(), settings.hostDriverRoot()),
                Path.of(config.containerdConfigDir()), settings.cdiRoot(), () -> runtimeVersion(settings.nodeName()),
                config.nvmlRecording().isPresent());
    }

    /** The Node's container runtime, e.g. {@code containerd://1.7.27}; null when it cannot be read. */
    private String runtimeVersion(String nodeName) {
        try {
            Node node = client.nodes().withName(nodeName).get();
            return node == null || node.getStatus() == null || node.getStatus().getNodeInfo() == null ? null
                    : node.getStatus().getNodeInfo().getContainerRuntimeVersion();
        } catch (KubernetesClientException e) {
            LOG.warnf("cannot read node %s for its container runtime version: %s", nodeName, e.getMessage());
            return null;
        }
    }

    /** Chooses the hook once per process, before the first spec is written; says loudly when there is none. */
    static CdiHookLocator.Choice chooseCdiHook(PluginSettings settings, Path imageHook) throws IOException {
        CdiHookLocator.Choice choice = CdiHookLocator.choose(settings.cdiHookPath(),
                DriverRoots.forDriverRoot(settings.containerDriverRoot(), settings.hostDriverRoot()),
                imageHook, settings.paths().pluginDataDir());
        choice.warning().ifPresentOrElse(LOG::warn,
                () -> LOG.infof("CDI specs run nvidia-cdi-hook at %s (%s)", choice.hostPath().get(), choice.source()));
        return choice;
    }

    /**
     * The device watchers started when {@value #DEVICE_HEALTH_GATE} is on: the NVML event monitor on the node's own
     * library; none when NVML answers from a recording (there are no GPUs to watch).
     */
    private List<HealthMonitor> healthMonitors(PluginSettings settings, NodeInventory inventory) {
        if (config.nvmlRecording().isPresent()) {
            LOG.warnf("%s is on, but NVML answers from a recording: no GPU is watched", DEVICE_HEALTH_GATE);
            return List.of();
        }
        return List.of(new NvmlHealthMonitor(JnaNvmlEvents.load(NvmlLibraryLocator.locate(settings.containerDriverRoot())),
                inventory, HealthSettings.fromEnvironment(System.getenv()), new LoggingHealthObserver()));
    }

    private NvmlDiscovery discovery(PluginSettings settings) {
        if (config.nvmlRecording().isPresent()) {
            Recording recording = Recording.read(Path.of(config.nvmlRecording().get()));
            LOG.warnf("answering NVML calls from the recording %s, not from the GPUs", config.nvmlRecording().get());
            return new NvmlDiscovery(new NvmlReplay(recording), new PciTopology(new SysfsReplay(recording)), LOG::warn);
        }
        return NvmlDiscovery.live(settings.containerDriverRoot(), Path.of(config.sysfsRoot()), LOG::warn);
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping.countDown();
        KubeletPlugin running = plugin;
        if (running != null) {
            running.close();
        }
    }
}
