package io.alauda.dra.plugin.role;

import io.alauda.dra.cdi.ClaimSpecBuilder;
import io.alauda.dra.cdi.ClaimSpecStore;
import io.alauda.dra.cdi.DeviceNodeSource;
import io.alauda.dra.cdi.DriverFileDiscovery;
import io.alauda.dra.cdi.DriverRoots;
import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.device.DeviceModel;
import io.alauda.dra.device.NodeInventory;
import io.alauda.dra.health.DeviceHealthBoard;
import io.alauda.dra.health.HealthMonitor;
import io.alauda.dra.plugin.checkpoint.BootIdSource;
import io.alauda.dra.plugin.grpc.DeviceHealthStream;
import io.alauda.dra.plugin.grpc.KubeletPluginServers;
import io.alauda.dra.plugin.grpc.PluginHealthServer;
import io.alauda.dra.plugin.grpc.RegistrationState;
import io.alauda.dra.plugin.grpc.SocketLifecycleListener;
import io.alauda.dra.plugin.prepare.ClaimPreparer;
import io.alauda.dra.plugin.prepare.PreparerSettings;
import io.alauda.dra.plugin.prepare.ResourceClaimFetcher;
import io.alauda.dra.plugin.prepare.SharingGates;
import io.alauda.dra.plugin.prepare.SharingSupport;
import io.alauda.dra.plugin.sharing.KubernetesMpsDaemons;
import io.alauda.dra.plugin.sharing.LazyGpuSharingControl;
import io.alauda.dra.plugin.sharing.MpsDeploymentBuilder;
import io.alauda.dra.plugin.sharing.MpsDaemonControl;
import io.alauda.dra.plugin.sharing.MpsDirectories;
import io.alauda.dra.plugin.sharing.TmpfsMounter;
import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.alauda.dra.resourceapi.ServedVersions;
import io.alauda.dra.slice.PublisherOptions;
import io.alauda.dra.slice.ResourceSlicePublisher;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The kubelet plugin, assembled: the preparer (checkpoint loaded, state recovered) first, then the DRA socket and
 * last the registration socket (kubelet calls as soon as that appears), the health port, and the ResourceSlice.
 * Closing stops the preparer taking claims, then runs the other way round, registration socket first, so kubelet
 * stops calling before anything it relies on goes away.
 *
 * <p>With device health on, one {@link DeviceHealthBoard} collects what the monitors find; the ResourceSlice (taints),
 * the kubelet health stream on the DRA socket, and the metrics and Node events all listen to it. The monitors start
 * last, once every listener is in place, and stop first.
 */
public final class KubeletPlugin implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KubeletPlugin.class);
    /** Upstream re-checks claims stuck in PrepareStarted every 10 minutes. */
    static final Duration ABANDONED_CLAIM_CHECK = Duration.ofMinutes(10);

    private final ClaimPreparer preparer;
    private final KubeletPluginServers servers;
    private final PluginHealthServer health;
    private final ResourceSlicePublisher publisher;
    private final ScheduledExecutorService housekeeping;
    private final DeviceHealthBoard healthBoard;
    private final List<HealthMonitor> monitors;
    private final DeviceHealthReporter healthReporter;

    private KubeletPlugin(ClaimPreparer preparer, KubeletPluginServers servers, PluginHealthServer health,
            ResourceSlicePublisher publisher, ScheduledExecutorService housekeeping, DeviceHealthBoard healthBoard,
            List<HealthMonitor> monitors, DeviceHealthReporter healthReporter) {
        this.preparer = preparer;
        this.servers = servers;
        this.health = health;
        this.publisher = publisher;
        this.housekeeping = housekeeping;
        this.healthBoard = healthBoard;
        this.monitors = monitors;
        this.healthReporter = healthReporter;
    }

    /**
     * @param deviceNodes reads device-node numbers; {@code UnixDeviceNodeSource} on a node, a fake in tests
     */
    public static KubeletPlugin start(PluginSettings settings, KubernetesClient client, NodeInventory inventory,
            ServedVersions served, DeviceNodeSource deviceNodes, BootIdSource bootIds, PluginTelemetry telemetry)
            throws IOException {
        return start(settings, client, inventory, null, served, deviceNodes, bootIds, telemetry);
    }

    /**
     * @param withheld why the node's GPUs are not published though discovery found them (its node checks failed), or
     *                 null; the inventory is then published as it is
     */
    public static KubeletPlugin start(PluginSettings settings, KubernetesClient client, NodeInventory inventory, String withheld,
            ServedVersions served, DeviceNodeSource deviceNodes, BootIdSource bootIds, PluginTelemetry telemetry)
            throws IOException {
        return start(settings, client, inventory, withheld, served, deviceNodes, bootIds, telemetry, DeviceHealthSettings.OFF);
    }

    /** @param healthSettings whether device health is watched (NVMLDeviceHealthCheck) and by which monitors */
    public static KubeletPlugin start(PluginSettings settings, KubernetesClient client, NodeInventory inventory, String withheld,
            ServedVersions served, DeviceNodeSource deviceNodes, BootIdSource bootIds, PluginTelemetry telemetry,
            DeviceHealthSettings healthSettings) throws IOException {
        List<AllocatableDevice> devices = withheld == null ? DeviceModel.devices(inventory) : List.of();
        List<String> claimVersions = claimVersions(settings.resourceApiVersion(), served);
        ClaimSpecBuilder specs = new ClaimSpecBuilder(
                new DriverFileDiscovery(DriverRoots.forDriverRoot(settings.containerDriverRoot(), settings.hostDriverRoot()), deviceNodes),
                inventory.driverVersion(), settings.cdiHookPath());
        ClaimPreparer preparer = ClaimPreparer.open(new PreparerSettings(settings.nodeName(), devices, specs,
                new ClaimSpecStore(settings.cdiRoot()), settings.paths().checkpointFile(), bootIds, withheld),
                new ResourceClaimFetcher(client, claimVersions), telemetry, sharing(settings, client));

        RegistrationState registration = new RegistrationState();
        registration.addListener(telemetry);
        DeviceHealthBoard board = healthSettings.enabled() ? new DeviceHealthBoard() : null;
        DeviceHealthStream healthStream = board == null ? null : new DeviceHealthStream(settings.nodeName(), devices,
                board.snapshot(), healthSettings.heartbeat(), Clock.systemUTC());
        KubeletPluginServers servers;
        try {
            servers = KubeletPluginServers.start(settings.paths(), preparer, registration, SocketLifecycleListener.NONE, healthStream);
        } catch (IOException | RuntimeException e) {
            if (healthStream != null) {
                healthStream.close();
            }
            throw e;
        }
        PluginHealthServer health;
        try {
            health = PluginHealthServer.start(new InetSocketAddress(settings.healthPort()), settings.paths(), Duration.ofSeconds(1));
        } catch (IOException | RuntimeException e) {
            servers.stop(Duration.ZERO);
            throw e;
        }
        ResourceSlicePublisher publisher = new ResourceSlicePublisher(client, PublisherOptions.forNode(settings.nodeName())
                .withResourceApiVersion(settings.resourceApiVersion()).withListScope(settings.sliceListScope())
                .withDeviceTaints(board != null), served, telemetry);
        publisher.start(devices);
        DeviceHealthReporter reporter = null;
        if (board != null) {
            telemetry.enableDeviceHealth();
            reporter = new DeviceHealthReporter(devices, telemetry);
            board.addListener(publisher::publishHealth);
            board.addListener(healthStream);
            board.addListener(reporter);
            startMonitors(healthSettings.monitors(), board);
        }

        ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "abandoned-claims");
            t.setDaemon(true);
            return t;
        });
        housekeeping.scheduleWithFixedDelay(() -> releaseAbandoned(preparer), ABANDONED_CLAIM_CHECK.toMinutes(),
                ABANDONED_CLAIM_CHECK.toMinutes(), TimeUnit.MINUTES);
        LOG.infof("kubelet plugin for node %s serving %d device(s); health on port %d%s", settings.nodeName(), devices.size(), health.port(),
                board == null ? "" : "; device health watched by " + healthSettings.monitors().size() + " monitor(s)");
        return new KubeletPlugin(preparer, servers, health, publisher, housekeeping, board, healthSettings.monitors(), reporter);
    }

    /** A monitor that cannot start leaves the others running: health is watched as far as it can be. */
    private static void startMonitors(List<HealthMonitor> monitors, DeviceHealthBoard board) {
        for (HealthMonitor monitor : monitors) {
            try {
                monitor.start(board);
            } catch (RuntimeException e) {
                LOG.errorf(e, "device health monitor %s could not start; the devices it watches are not checked",
                        monitor.getClass().getSimpleName());
            }
        }
    }

    static SharingSupport sharing(PluginSettings settings, KubernetesClient client) {
        return new SharingSupport(SharingGates.from(settings.featureGates()),
                LazyGpuSharingControl.nvidiaSmi(settings.containerDriverRoot()), mpsDaemons(settings, client),
                new MpsDirectories(settings.paths().pluginDataDir().resolve("mps"), TmpfsMounter.PROCESS),
                SharingSupport.DEFAULT_MPS_READY_TIMEOUT, SharingSupport.DEFAULT_MPS_READY_POLLS);
    }

    /** Daemons run the plugin's own image in its namespace; without either (an old operator) MPS claims fail. */
    private static MpsDaemonControl mpsDaemons(PluginSettings settings, KubernetesClient client) {
        if (settings.namespace() == null || settings.namespace().isBlank() || settings.image() == null
                || settings.image().isBlank()) {
            return MpsDaemonControl.NONE;
        }
        boolean driverRootHasShm = java.nio.file.Files.isDirectory(settings.containerDriverRoot().resolve("dev/shm"));
        return new KubernetesMpsDaemons(client, new MpsDeploymentBuilder(settings.namespace(), settings.nodeName(),
                settings.image(), settings.hostDriverRoot().toString(), driverRootHasShm));
    }

    /** Versions to read claims in, newest first: the forced one, or those the server serves. */
    static List<String> claimVersions(String setting, ServedVersions served) {
        Optional<ResourceApiVersion> forced = ResourceApiVersion.configured(setting);
        if (forced.isPresent()) {
            return List.of(forced.get().id());
        }
        List<String> available = served.served();
        List<String> ordered = ResourceApiVersion.servedAmong(available).stream().map(ResourceApiVersion::id).toList();
        if (ordered.isEmpty()) {
            throw new IllegalStateException("the API server serves no resource.k8s.io version this plugin knows ("
                    + String.join(", ", ResourceApiVersion.ids()) + "), it serves " + available + "; enable DRA on the cluster");
        }
        return ordered;
    }

    private static void releaseAbandoned(ClaimPreparer preparer) {
        try {
            List<String> released = preparer.releaseAbandonedClaims();
            if (!released.isEmpty()) {
                LOG.infof("released claims abandoned in PrepareStarted: %s", released);
            }
        } catch (RuntimeException e) {
            LOG.warnf("checking for abandoned claims failed: %s", e.getMessage());
        }
    }

    public ResourceSlicePublisher publisher() {
        return publisher;
    }

    public int healthPort() {
        return health.port();
    }

    public RegistrationState registration() {
        return servers.registrationState();
    }

    /** The node's device-health record, where monitors (and tests) report; empty when device health is off. */
    public Optional<DeviceHealthBoard> healthBoard() {
        return Optional.ofNullable(healthBoard);
    }

    /**
     * The preparer stops taking claims before the sockets go: calls still running then finish or give up their current
     * claim within the socket's grace period instead of being interrupted mid-claim, and calls kubelet makes meanwhile
     * are answered without touching the API client, which Quarkus closes after this.
     */
    @Override
    public void close() {
        monitors.forEach(KubeletPlugin::closeMonitor);
        preparer.close();
        housekeeping.shutdownNow();
        servers.stop(Duration.ofSeconds(5));
        health.close();
        publisher.stop();
        if (healthReporter != null) {
            healthReporter.close();
        }
        LOG.info("kubelet plugin stopped");
    }

    private static void closeMonitor(HealthMonitor monitor) {
        try {
            monitor.close();
        } catch (RuntimeException e) {
            LOG.warnf("device health monitor %s did not stop cleanly: %s", monitor.getClass().getSimpleName(), e.getMessage());
        }
    }
}
