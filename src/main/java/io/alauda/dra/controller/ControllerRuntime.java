package io.alauda.dra.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The controller role's working parts, wired together: informers feed the cluster state; the state's changes feed
 * the debounced publisher; leadership gates the allocation series and the stale-slice cleanup. Plain Java, so tests
 * and the benchmark run it against any client.
 */
public final class ControllerRuntime implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ControllerRuntime.class);

    private final ControllerSettings settings;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService cleanupExecutor;
    private final ScheduledExecutorService explainer;
    private final ControllerMetrics metrics;
    private final AllocationPublisher publisher;
    private final ClusterState state;
    private final StaleSliceCleaner cleaner;
    private final ClusterWatch watch;
    private final LeaderElection election;
    private final UnsatisfiableClaims unsatisfiable;

    public ControllerRuntime(KubernetesClient client, MeterRegistry registry, ControllerSettings settings, Clock clock) {
        this.settings = settings;
        scheduler = Executors.newSingleThreadScheduledExecutor(daemon("nvidia-dra-controller"));
        cleanupExecutor = Executors.newSingleThreadExecutor(daemon("nvidia-dra-controller-cleanup"));
        explainer = Executors.newSingleThreadScheduledExecutor(daemon("nvidia-dra-controller-explain"));
        metrics = new ControllerMetrics(registry, clock);
        publisher = new AllocationPublisher(metrics, this::snapshot, this::synced, this::watching, scheduler, settings.metricsInterval());
        state = new ClusterState(settings.deviceClasses(), publisher::request);
        ControllerEvents events = new ControllerEvents(client, settings.api(), settings.identity(), clock);
        cleaner = new StaleSliceCleaner(client, settings.api(), state, () -> publisher.leading() && synced(),
                events, metrics, cleanupExecutor);
        unsatisfiable = new UnsatisfiableClaims(client, settings.api(), state, events, metrics, clock, settings.explain(),
                settings.sliceFieldSelector());
        watch = new ClusterWatch(client, settings.api(), state, settings.nodeSelection(), settings.sliceFieldSelector(),
                cleaner::consider, cleaner::nodeGone);
        election = settings.lease() == null ? null
                : new LeaderElection(client, settings.lease(), this::leadershipChanged, scheduler);
    }

    /** Starts watching (and campaigning); the future completes when every informer has synced. */
    public CompletableFuture<Void> start() {
        LOG.infof("controller watching resource.k8s.io/%s as %s; nodes for the plugin: %s; leader election %s",
                settings.api().id(), settings.identity(), settings.nodeSelection(), election == null ? "off" : "on");
        CompletableFuture<Void> synced = watch.start().thenRun(() -> {
            LOG.info("informers synced");
            publisher.request();
            cleaner.sweep();
        });
        if (election == null) {
            leadershipChanged(true);
        } else {
            election.start();
        }
        scheduler.scheduleWithFixedDelay(publisher::request, settings.heartbeat().toMillis(), settings.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(cleaner::sweep, settings.cleanupInterval().toMillis(), settings.cleanupInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        long explainEvery = settings.explain().interval().toMillis();
        explainer.scheduleWithFixedDelay(this::explainPendingClaims, explainEvery, explainEvery, TimeUnit.MILLISECONDS);
        return synced;
    }

    private void leadershipChanged(boolean leading) {
        publisher.leadershipChanged(leading);
        if (leading) {
            cleaner.sweep();
        } else {
            unsatisfiable.reset();
        }
    }

    /** A failed pass is logged and retried at the next interval; it must not cancel the schedule. */
    private void explainPendingClaims() {
        if (!publisher.leading() || !synced()) {
            return;
        }
        try {
            unsatisfiable.pass();
        } catch (RuntimeException e) {
            LOG.warnf(e, "explaining pending claims failed; trying again in %s", settings.explain().interval());
        }
    }

    public boolean synced() {
        return watch.synced();
    }

    /** Synced and every watch open: the cache follows the API server, so numbers from it are current. */
    boolean watching() {
        return watch.synced() && watch.watching();
    }

    public boolean leading() {
        return publisher.leading();
    }

    public ClusterState state() {
        return state;
    }

    private AllocationSnapshot snapshot() {
        return state.snapshot();
    }

    @Override
    public void close() {
        if (election != null) {
            election.close();
        }
        watch.close();
        scheduler.shutdownNow();
        cleanupExecutor.shutdownNow();
        explainer.shutdownNow();
        publisher.leadershipChanged(false);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
