package io.alauda.dra.operator;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import io.quarkus.runtime.Quarkus;
import org.jboss.logging.Logger;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * What the operator does when it stops leading, in place of JOSDK's {@code System.exit(1)}.
 * <p>
 * On shutdown JOSDK cancels the election and fabric8 calls this on the thread running Quarkus' shutdown; JOSDK never
 * asks fabric8 to release the Lease (it builds the elector with releaseOnCancel false), so this releases it, as
 * client-go does: no holder and a one-second duration, so a successor takes over at its next retry rather than
 * after the 15 s lease duration.
 * <p>
 * When the Lease is lost while running (renewal failed or another replica took it), this replica must stop
 * reconciling, hence the exit. {@link Quarkus#asyncExit(int)} only asks the main thread to stop, so it cannot
 * deadlock, and it does nothing once a shutdown is already under way.
 */
final class OperatorLeaseStepDown {

    private static final Logger LOG = Logger.getLogger(OperatorLeaseStepDown.class);

    private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(2);

    private final KubernetesClient client;
    private final String leaseName;
    private final String identity;

    OperatorLeaseStepDown(KubernetesClient client, String leaseName, String identity) {
        this.client = client;
        this.leaseName = leaseName;
        this.identity = identity;
    }

    String identity() {
        return identity;
    }

    void stoppedLeading() {
        // Bounded: with the API server unreachable the client would retry for its whole request timeout, and the
        // process must still exit within seconds of SIGTERM; an unreleased Lease only makes a successor wait it out.
        CompletableFuture<Boolean> released = CompletableFuture.supplyAsync(this::release);
        try {
            if (released.get(RELEASE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.infof("%s released the Lease %s", identity, leaseName);
            }
        } catch (ExecutionException e) {
            // a conflict means another replica already took the Lease: nothing left to release
            LOG.warnf("%s could not release the Lease %s: %s", identity, leaseName, e.getCause().getMessage());
        } catch (TimeoutException e) {
            released.cancel(true);
            LOG.warnf("%s gave up releasing the Lease %s after %d ms (API server unreachable?); a successor takes it once it expires",
                    identity, leaseName, RELEASE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.infof("%s no longer leads; the operator stops", identity);
        Quarkus.asyncExit(1);
    }

    /** @return whether this replica still held the Lease and cleared it */
    boolean release() {
        // JOSDK takes the Lease's namespace from the client's when none is configured (none is)
        String namespace = client.getConfiguration().getNamespace();
        Lease lease = client.leases().inNamespace(namespace).withName(leaseName).get();
        if (lease == null || lease.getSpec() == null || !identity.equals(lease.getSpec().getHolderIdentity())) {
            return false;
        }
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        lease.getSpec().setHolderIdentity(null);
        lease.getSpec().setLeaseDurationSeconds(1);
        lease.getSpec().setAcquireTime(now);
        lease.getSpec().setRenewTime(now);
        // update() sends the resourceVersion read above: if a successor wrote in between, this fails with a conflict
        client.resource(lease).update();
        return true;
    }
}
