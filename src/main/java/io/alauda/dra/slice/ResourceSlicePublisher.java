package io.alauda.dra.slice;

import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.health.HealthSnapshot;
import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.alauda.dra.resourceapi.ServedVersions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.jboss.logging.Logger;

import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps exactly one set of ResourceSlices for this node: the one its devices call for.
 *
 * <p>Every sync runs on the publisher's own thread, never the caller's: it reads the Node's UID, lists the node's
 * slices of our driver, and deletes, updates and creates as {@link PoolSyncPlan} decides. A sync that finds the
 * slices right writes nothing. Syncs are triggered by {@link #start}, {@link #update} and {@link #resync}, and by a
 * watch on the node's slices whenever someone else deletes or changes one (kubelet wipes them when it restarts and
 * 30 s after the plugin disconnects; a person may edit one). Events caused by our own writes are recognised by their
 * resourceVersion and ignored. A failed sync is retried with exponential backoff; while a retry is pending, further
 * triggers wait for it, so a failing API server is not hammered.
 *
 * <p>Device health ({@link #publishHealth}) reaches the slices as device taints. A health change is gathered for
 * {@link PublisherOptions#eventDelay()} first, so a burst of reports costs one write. An API server without the
 * DRADeviceTaints feature drops the taints silently; the publisher notices it in what the server returns, tells its
 * listener, and publishes without taints until health changes again (each change tries once more), so that the
 * difference does not make it rewrite the slices on every sync.
 */
public final class ResourceSlicePublisher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ResourceSlicePublisher.class);
    private static final Duration WATCH_START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final String DELETED_BY_US = "";

    private enum State { NEW, RUNNING, STOPPED }

    private final KubernetesClient client;
    private final PublisherOptions options;
    private final ServedVersions servedVersions;
    private final PublishListener listener;
    private final ScheduledExecutorService worker;
    private final CompletableFuture<PublishOutcome> firstPublish = new CompletableFuture<>();
    /** name → resourceVersion we wrote, or {@link #DELETED_BY_US}; lets the watch skip our own changes. */
    private final Map<String, String> ownWrites = new ConcurrentHashMap<>();

    private final Object lock = new Object();
    private State state = State.NEW;
    private List<AllocatableDevice> devices;
    private HealthSnapshot health = HealthSnapshot.ALL_HEALTHY;
    private WantedPool wanted;
    /** The server dropped the taints of our last write that had any; cleared by the next health change. */
    private boolean taintsDropped;
    /** Counts health changes, so that a drop seen by a sync is not pinned on a change that came in during it. */
    private long healthChanges;
    private ScheduledFuture<?> next;
    private long nextAtNanos;
    private boolean retryPending;
    private final List<CompletableFuture<PublishOutcome>> waiters = new ArrayList<>();

    private volatile long startNanos;
    private volatile PublishOutcome lastOutcome;
    private volatile SharedIndexInformer<? extends HasMetadata> informer;
    // only touched on the worker thread
    private ResourceApiVersion version;
    private ResourceApiVersion informerVersion;
    private int failures;

    public ResourceSlicePublisher(KubernetesClient client, PublisherOptions options, ServedVersions servedVersions,
                                  PublishListener listener) {
        this.client = Objects.requireNonNull(client, "client");
        this.options = Objects.requireNonNull(options, "options");
        this.servedVersions = Objects.requireNonNull(servedVersions, "servedVersions");
        this.listener = listener == null ? PublishListener.NONE : listener;
        this.worker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "resource-slice-publisher-" + options.nodeName());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts publishing these devices and returns at once; the first sync runs in the background.
     *
     * @throws SliceLimitException   when a device cannot be published, before anything starts
     * @throws IllegalStateException when already started or stopped
     */
    public void start(List<AllocatableDevice> devices) {
        synchronized (lock) {
            WantedPool layout = pool(devices, health);
            if (state != State.NEW) {
                throw new IllegalStateException("the ResourceSlice publisher of node " + options.nodeName() + " was already "
                        + (state == State.RUNNING ? "started" : "stopped") + "; create a new one");
            }
            state = State.RUNNING;
            this.devices = List.copyOf(devices);
            wanted = layout;
            startNanos = System.nanoTime();
            scheduleLocked(Duration.ZERO);
        }
    }

    /**
     * Publishes a new device set (after a health change, say) and returns at once.
     *
     * @throws SliceLimitException   when a device cannot be published; the previous set stays published
     * @throws IllegalStateException when not started or already stopped
     */
    public void update(List<AllocatableDevice> devices) {
        synchronized (lock) {
            requireRunning();
            wanted = pool(devices, health);
            this.devices = List.copyOf(devices);
            scheduleLocked(Duration.ZERO);
        }
    }

    /**
     * Publishes the devices' health as taints, after {@link PublisherOptions#eventDelay()} so that a burst of changes
     * costs one write; returns at once. Ignored once stopped, since health reports may still arrive during shutdown.
     *
     * @throws IllegalStateException when not started
     */
    public void publishHealth(HealthSnapshot snapshot) {
        synchronized (lock) {
            if (state == State.STOPPED) {
                return;
            }
            requireRunning();
            health = snapshot;
            healthChanges++;
            taintsDropped = false;
            wanted = pool(devices, snapshot);
            scheduleLocked(options.eventDelay());
        }
    }

    private WantedPool pool(List<AllocatableDevice> list, HealthSnapshot snapshot) {
        return WantedPool.of(list, DeviceTaints.byName(snapshot, list), options.deviceTaints());
    }

    /** Asks for a sync now; completes with the outcome of the first sync that starts after this call and succeeds. */
    public CompletableFuture<PublishOutcome> resync() {
        CompletableFuture<PublishOutcome> result = new CompletableFuture<>();
        synchronized (lock) {
            requireRunning();
            waiters.add(result);
            scheduleLocked(Duration.ZERO);
        }
        return result;
    }

    /**
     * Completes when the node's slices have been published for the first time; {@link PublishOutcome#sinceStart()}
     * is the start-to-published time. Completes exceptionally if the publisher is stopped first.
     */
    public CompletableFuture<PublishOutcome> firstPublish() {
        return firstPublish.copy();
    }

    /** @return whether the first publish happened within the timeout */
    public boolean awaitFirstPublish(Duration timeout) throws InterruptedException {
        try {
            firstPublish.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException | ExecutionException | CancellationException e) {
            return false;
        }
    }

    public Optional<PublishOutcome> lastOutcome() {
        return Optional.ofNullable(lastOutcome);
    }

    /**
     * Stops the watch and any pending retry, waiting briefly for a sync in progress. Leaves the slices in place unless
     * {@link PublisherOptions#deleteSlicesOnStop()}. Idempotent.
     */
    public void stop() {
        List<CompletableFuture<PublishOutcome>> pending;
        synchronized (lock) {
            if (state == State.STOPPED) {
                return;
            }
            state = State.STOPPED;
            if (next != null) {
                next.cancel(false);
            }
            pending = new ArrayList<>(waiters);
            waiters.clear();
        }
        worker.shutdown();
        try {
            if (!worker.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
        closeInformer();
        IllegalStateException stopped = new IllegalStateException("the ResourceSlice publisher of node " + options.nodeName() + " was stopped");
        pending.forEach(waiter -> waiter.completeExceptionally(stopped));
        firstPublish.completeExceptionally(stopped);
        if (options.deleteSlicesOnStop()) {
            deleteSlices();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void requireRunning() {
        if (state != State.RUNNING) {
            throw new IllegalStateException("the ResourceSlice publisher of node " + options.nodeName() + " is "
                    + (state == State.NEW ? "not started: call start first" : "stopped"));
        }
    }

    private void requestSync(Duration delay) {
        synchronized (lock) {
            if (state == State.RUNNING) {
                scheduleLocked(delay);
            }
        }
    }

    private void scheduleLocked(Duration delay) {
        if (retryPending) {
            return; // the retry reads the newest wanted state when it runs
        }
        long at = System.nanoTime() + delay.toNanos();
        if (next != null && nextAtNanos - at <= 0) {
            return;
        }
        if (next != null) {
            next.cancel(false);
        }
        next = worker.schedule(this::runSync, delay.toNanos(), TimeUnit.NANOSECONDS);
        nextAtNanos = at;
    }

    private void runSync() {
        WantedPool target;
        long healthSeen;
        List<CompletableFuture<PublishOutcome>> served;
        synchronized (lock) {
            if (state != State.RUNNING) {
                return;
            }
            next = null;
            retryPending = false;
            target = taintsDropped ? wanted.withoutTaints() : wanted;
            healthSeen = healthChanges;
            served = new ArrayList<>(waiters);
            waiters.clear();
        }
        PublishOutcome outcome;
        try {
            outcome = publish(target, healthSeen);
        } catch (RuntimeException e) {
            failures++;
            Duration delay = options.backoff().delayAfter(failures);
            synchronized (lock) {
                waiters.addAll(served);
                if (state == State.RUNNING) {
                    if (next != null) {
                        next.cancel(false);
                    }
                    next = worker.schedule(this::runSync, delay.toNanos(), TimeUnit.NANOSECONDS);
                    nextAtNanos = System.nanoTime() + delay.toNanos();
                    retryPending = true;
                }
            }
            PublishFailure failure = new PublishFailure(e, failures, delay);
            notifyListener(() -> listener.failed(failure));
            return;
        }
        failures = 0;
        lastOutcome = outcome;
        served.forEach(waiter -> waiter.complete(outcome));
        firstPublish.complete(outcome);
        notifyListener(() -> listener.published(outcome));
    }

    private PublishOutcome publish(WantedPool target, long healthSeen) {
        ResourceApiVersion apiVersion = apiVersion();
        String nodeUid = nodeUid();
        ensureWatch(apiVersion);
        SliceClient slices = new SliceClient(client, apiVersion);
        List<SliceView> observed;
        try {
            observed = slices.list(options.nodeName(), options.listScope());
        } catch (SlicePublishException e) {
            if (SliceClient.isNotServed(e)) {
                version = null; // discover again: the cluster may have been upgraded or downgraded under us
            }
            throw e;
        }
        PoolSyncPlan plan = PoolSyncPlan.plan(options.nodeName(), nodeUid, apiVersion, target, observed);
        for (HasMetadata obsolete : plan.deletes()) {
            ownWrites.put(obsolete.getMetadata().getName(), DELETED_BY_US);
            slices.delete(obsolete);
        }
        TaintsKept kept = new TaintsKept();
        for (HasMetadata changed : plan.updates()) {
            kept.check(changed, remember(slices.update(changed)));
        }
        for (HasMetadata missing : plan.creates()) {
            kept.check(missing, remember(slices.create(missing)));
        }
        kept.verdict().ifPresent(verdict -> taintsKept(verdict, healthSeen));
        int devices = target.deviceCount();
        return new PublishOutcome(apiVersion, plan.generation(), plan.sliceCount(), devices, plan.creates().size(),
                plan.updates().size(), plan.deletes().size(), Duration.ofNanos(System.nanoTime() - startNanos));
    }

    private HasMetadata remember(HasMetadata written) {
        ownWrites.put(written.getMetadata().getName(), String.valueOf(written.getMetadata().getResourceVersion()));
        return written;
    }

    private void taintsKept(boolean kept, long healthSeen) {
        if (!kept) {
            synchronized (lock) {
                taintsDropped = healthChanges == healthSeen;
            }
        }
        notifyListener(() -> listener.deviceTaints(kept));
    }

    private ResourceApiVersion apiVersion() {
        Optional<ResourceApiVersion> forced = options.forcedVersion();
        if (forced.isPresent()) {
            return forced.get();
        }
        if (version == null) {
            List<String> served;
            try {
                served = servedVersions.served();
            } catch (RuntimeException e) {
                throw new SlicePublishException("discovering the served " + ResourceApiVersion.GROUP + " versions failed: "
                        + e.getMessage() + " (set the resource API version explicitly to skip discovery)", e);
            }
            version = ResourceApiVersion.newestOf(served).orElseThrow(() -> new SlicePublishException("the API server serves no "
                    + ResourceApiVersion.GROUP + " version this driver can write (served: " + served + "; supported: v1, v1beta2, "
                    + "v1beta1): Dynamic Resource Allocation needs Kubernetes 1.32 or later with " + ResourceApiVersion.GROUP + " enabled"));
        }
        return version;
    }

    /** Read every sync: a Node deleted and re-created under the same name has a new UID, and our owner must follow. */
    private String nodeUid() {
        Node node;
        try {
            node = client.nodes().withName(options.nodeName()).get();
        } catch (KubernetesClientException e) {
            String hint = e.getCode() == HttpURLConnection.HTTP_FORBIDDEN ? " (the plugin's ServiceAccount needs get on nodes)" : "";
            throw new SlicePublishException("reading Node " + options.nodeName() + " for the slices' owner reference failed: HTTP "
                    + e.getCode() + " " + e.getMessage() + hint, e);
        }
        if (node == null || node.getMetadata() == null || node.getMetadata().getUid() == null) {
            throw new SlicePublishException("Node " + options.nodeName() + " does not exist: the node name given to the kubelet "
                    + "plugin must be its pod's spec.nodeName");
        }
        return node.getMetadata().getUid();
    }

    /**
     * Started before listing, so no change after the list goes unseen; restarted when it stopped or the version
     * changed. fabric8 reconnects a running watch by itself.
     */
    private void ensureWatch(ResourceApiVersion apiVersion) {
        SharedIndexInformer<? extends HasMetadata> current = informer;
        if (current != null && (informerVersion != apiVersion || !current.isRunning())) {
            closeInformer();
            current = null;
        }
        if (current != null) {
            return;
        }
        SharedIndexInformer<? extends HasMetadata> started = new SliceClient(client, apiVersion)
                .informer(options.nodeName(), options.listScope(), new SliceEvents());
        try {
            started.start().toCompletableFuture().get(WATCH_START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            started.close();
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new SlicePublishException("watching the ResourceSlices of node " + options.nodeName() + " failed: " + cause.getMessage()
                    + " (the plugin's ServiceAccount needs list and watch on resourceslices)", cause);
        } catch (InterruptedException e) {
            started.close();
            Thread.currentThread().interrupt();
            throw new SlicePublishException("interrupted while starting the ResourceSlice watch", e);
        }
        started.stopped().whenComplete((ignored, error) -> {
            if (error != null) {
                LOG.debugf("ResourceSlice watch of node %s stopped: %s", options.nodeName(), error.getMessage());
            }
            requestSync(Duration.ZERO); // the sync restarts the watch
        });
        informer = started;
        informerVersion = apiVersion;
    }

    private void closeInformer() {
        SharedIndexInformer<? extends HasMetadata> current = informer;
        informer = null;
        if (current != null) {
            current.close();
        }
    }

    private void deleteSlices() {
        try {
            ResourceApiVersion apiVersion = apiVersion();
            SliceClient slices = new SliceClient(client, apiVersion);
            List<SliceView> observed = slices.list(options.nodeName(), options.listScope());
            for (SliceView slice : observed) {
                slices.delete(slice.object());
            }
            LOG.infof("deleted %d ResourceSlice(s) of node %s on stop", observed.size(), options.nodeName());
        } catch (RuntimeException e) {
            LOG.warnf("could not delete the ResourceSlices of node %s on stop (kubelet removes them 30 s after the plugin is gone): %s",
                    options.nodeName(), e.getMessage());
        }
    }

    private void notifyListener(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warnf(e, "ResourceSlice publish listener failed");
        }
    }

    /** Someone else's change to one of our slices: sync after a short delay that gathers a burst into one sync. */
    private final class SliceEvents implements ResourceEventHandler<HasMetadata> {

        @Override
        public void onAdd(HasMetadata slice) {
            if (!ours(slice)) {
                requestSync(options.eventDelay());
            }
        }

        @Override
        public void onUpdate(HasMetadata before, HasMetadata after) {
            if (!ours(after)) {
                requestSync(options.eventDelay());
            }
        }

        @Override
        public void onDelete(HasMetadata slice, boolean finalStateUnknown) {
            String mark = ownWrites.remove(slice.getMetadata().getName());
            if (!DELETED_BY_US.equals(mark)) {
                requestSync(options.eventDelay());
            }
        }

        private boolean ours(HasMetadata slice) {
            return Objects.equals(ownWrites.get(slice.getMetadata().getName()), slice.getMetadata().getResourceVersion());
        }
    }
}
