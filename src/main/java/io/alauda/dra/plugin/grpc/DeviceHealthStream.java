package io.alauda.dra.plugin.grpc;

import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.health.DeviceHealthListener;
import io.alauda.dra.health.DeviceProblems;
import io.alauda.dra.health.HealthProblem;
import io.alauda.dra.health.HealthSnapshot;
import io.alauda.dra.plugin.proto.drahealth.DRAResourceHealthGrpc;
import io.alauda.dra.plugin.proto.drahealth.DeviceHealth;
import io.alauda.dra.plugin.proto.drahealth.DeviceIdentifier;
import io.alauda.dra.plugin.proto.drahealth.HealthStatus;
import io.alauda.dra.plugin.proto.drahealth.NodeWatchResourcesRequest;
import io.alauda.dra.plugin.proto.drahealth.NodeWatchResourcesResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code v1alpha1.DRAResourceHealth} on the DRA socket: kubelet (1.34+, gate ResourceHealthStatus) opens
 * NodeWatchResources and shows what it hears in the pods' {@code allocatedResourcesStatus}.
 *
 * <p>Every message is the complete list of this node's devices, as the API requires. It is sent when a stream opens,
 * on every health change, and every {@code heartbeat}: kubelet counts a device whose last report is older than its
 * timeout (30 s by default) as Unknown. One thread sends everything, so the board's listener call returns at once and
 * each stream sees the messages in order. Streams end with OK when the plugin stops, and are forgotten when kubelet
 * cancels them.
 */
public final class DeviceHealthStream extends DRAResourceHealthGrpc.DRAResourceHealthImplBase
        implements DeviceHealthListener, AutoCloseable {

    /** The gRPC service name, which is also what registration advertises. */
    public static final String REGISTRATION_NAME = "v1alpha1.DRAResourceHealth";
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);
    /** The API's limit; kubelet cuts longer messages itself, but sending them wastes the socket. */
    static final int MAX_MESSAGE = 1024;

    private static final Logger LOG = Logger.getLogger(DeviceHealthStream.class);

    private final String pool;
    private final List<AllocatableDevice> devices;
    private final Clock clock;
    private final Set<ServerCallStreamObserver<NodeWatchResourcesResponse>> watchers = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sender;
    private volatile HealthSnapshot latest;
    private volatile boolean closed;

    /**
     * @param pool    the pool the devices are published in (the node's name)
     * @param devices the devices published in the node's slices
     */
    public DeviceHealthStream(String pool, List<AllocatableDevice> devices, HealthSnapshot initial, Duration heartbeat, Clock clock) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.devices = List.copyOf(devices);
        this.latest = Objects.requireNonNull(initial, "initial");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("the health stream's heartbeat must be positive, got " + heartbeat);
        }
        this.sender = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "dra-health-stream");
            thread.setDaemon(true);
            return thread;
        });
        sender.scheduleAtFixedRate(this::sendToAll, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void nodeWatchResources(NodeWatchResourcesRequest request, StreamObserver<NodeWatchResourcesResponse> observer) {
        ServerCallStreamObserver<NodeWatchResourcesResponse> call = (ServerCallStreamObserver<NodeWatchResourcesResponse>) observer;
        if (closed) {
            call.onError(Status.UNAVAILABLE.withDescription("the kubelet plugin is stopping").asRuntimeException());
            return;
        }
        call.setOnCancelHandler(() -> {
            watchers.remove(call);
            LOG.debug("kubelet closed its device health stream");
        });
        watchers.add(call);
        LOG.infof("kubelet watches the health of %d device(s)", devices.size());
        submit(() -> send(call, response(latest)));
    }

    /** Called under the board's lock: only hands the snapshot to the sender thread. */
    @Override
    public void healthChanged(HealthSnapshot snapshot) {
        latest = snapshot;
        submit(this::sendToAll);
    }

    public int watchers() {
        return watchers.size();
    }

    /** The complete list for one moment, in the order the devices are published. */
    NodeWatchResourcesResponse response(HealthSnapshot snapshot) {
        long now = clock.instant().getEpochSecond();
        NodeWatchResourcesResponse.Builder response = NodeWatchResourcesResponse.newBuilder();
        for (AllocatableDevice device : devices) {
            List<HealthProblem> problems = DeviceProblems.of(snapshot, device);
            boolean healthy = problems.stream().noneMatch(p -> p.effect().unhealthy());
            response.addDevices(DeviceHealth.newBuilder()
                    .setDevice(DeviceIdentifier.newBuilder().setPoolName(pool).setDeviceName(device.name()))
                    .setHealth(healthy ? HealthStatus.HEALTHY : HealthStatus.UNHEALTHY)
                    .setLastUpdatedTime(now)
                    .setMessage(message(problems)));
        }
        return response.build();
    }

    private static String message(List<HealthProblem> problems) {
        String text = problems.stream()
                .map(p -> p.key() + (p.value().isEmpty() ? "" : "=" + p.value()) + " (" + p.effect().kubeName() + ")"
                        + (p.message().isEmpty() ? "" : ": " + p.message()))
                .collect(Collectors.joining("; "));
        return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE - 3) + "..." : text;
    }

    private void sendToAll() {
        if (watchers.isEmpty()) {
            return;
        }
        NodeWatchResourcesResponse response = response(latest);
        watchers.forEach(call -> send(call, response));
    }

    private void send(ServerCallStreamObserver<NodeWatchResourcesResponse> call, NodeWatchResourcesResponse response) {
        if (closed || !watchers.contains(call)) {
            return;
        }
        try {
            call.onNext(response);
        } catch (RuntimeException e) {
            // cancelled between the check and the send: kubelet reopens the stream when it wants one
            watchers.remove(call);
            LOG.debugf("device health stream gone: %s", e.getMessage());
        }
    }

    private void submit(Runnable task) {
        try {
            sender.execute(task);
        } catch (RejectedExecutionException e) {
            // closed meanwhile: nothing more is sent
        }
    }

    /**
     * Ends every stream with OK (kubelet reopens it on the next plugin) and stops the heartbeat; before the DRA
     * socket stops, so that a graceful server stop need not wait for streams that never end by themselves.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        sender.shutdownNow();
        try {
            sender.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ServerCallStreamObserver<NodeWatchResourcesResponse> call : watchers) {
            try {
                call.onCompleted();
            } catch (RuntimeException e) {
                LOG.debugf("device health stream already gone: %s", e.getMessage());
            }
        }
        watchers.clear();
    }
}
