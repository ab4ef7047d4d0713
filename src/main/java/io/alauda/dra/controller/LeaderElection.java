package io.alauda.dra.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Campaigns for the Lease for as long as the controller runs. fabric8's elector ends when it loses the lease, so a
 * lost lease starts a new campaign rather than leaving this replica a follower for good. Closing releases the lease,
 * so a rolling update hands over without waiting for it to expire.
 */
final class LeaderElection implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    private final KubernetesClient client;
    private final LeaseSettings settings;
    private final Consumer<Boolean> onChange;
    private final ScheduledExecutorService executor;
    private volatile boolean closed;
    private volatile CompletableFuture<?> campaign;
    private boolean leading;

    LeaderElection(KubernetesClient client, LeaseSettings settings, Consumer<Boolean> onChange, ScheduledExecutorService executor) {
        this.client = client;
        this.settings = settings;
        this.onChange = onChange;
        this.executor = executor;
    }

    void start() {
        campaign();
    }

    private void campaign() {
        if (closed) {
            return;
        }
        LOG.debugf("campaigning for lease %s/%s as %s", settings.namespace(), settings.name(), settings.identity());
        var elector = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(settings.name())
                .withLock(new LeaseLock(settings.namespace(), settings.name(), settings.identity()))
                .withLeaseDuration(settings.leaseDuration())
                .withRenewDeadline(settings.renewDeadline())
                .withRetryPeriod(settings.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(() -> changed(true), () -> changed(false),
                        leader -> LOG.infof("controller leader is now %s", leader)))
                .build()).build();
        CompletableFuture<?> running = elector.start();
        campaign = running;
        if (closed) {
            // close() ran between the check above and this assignment and cancelled the previous campaign, not
            // this one; left running it would keep renewing the Lease after shutdown
            running.cancel(true);
            return;
        }
        running.whenComplete((ignored, error) -> {
            changed(false);
            if (error != null && !closed) {
                LOG.warnf("leader election for lease %s ended with an error, campaigning again: %s", settings.name(), error.getMessage());
            }
            if (!closed) {
                try {
                    executor.schedule(this::campaign, settings.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    // shutting down
                }
            }
        });
    }

    private synchronized void changed(boolean nowLeading) {
        if (leading == nowLeading) {
            return;
        }
        leading = nowLeading;
        LOG.infof(nowLeading ? "%s leads: exporting allocation metrics and cleaning up stale slices"
                : "%s no longer leads", settings.identity());
        onChange.accept(nowLeading);
    }

    @Override
    public void close() {
        closed = true;
        CompletableFuture<?> running = campaign;
        if (running != null) {
            running.cancel(true);
        }
    }
}
