package io.alauda.dra.delivery;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * Reads a Lease the way a successor's elector does: it may take the Lease once the holder is empty or
 * renewTime + leaseDurationSeconds has passed (client-go and fabric8 alike).
 */
record LeaseHandover(KubernetesClient client, String namespace, String name) {

    Optional<LeaseSpec> spec() {
        Lease lease = client.leases().inNamespace(namespace).withName(name).get();
        return Optional.ofNullable(lease).map(Lease::getSpec);
    }

    Optional<String> holder() {
        return spec().map(LeaseSpec::getHolderIdentity).filter(holder -> !holder.isEmpty());
    }

    /** When a successor may take the Lease; {@link Instant#EPOCH} if it may now, whatever the clock says. */
    Instant freeFrom() {
        LeaseSpec spec = spec().orElseThrow(() -> new AssertionError("Lease " + namespace + "/" + name + " is gone"));
        if (spec.getHolderIdentity() == null || spec.getHolderIdentity().isEmpty()) {
            return Instant.EPOCH;
        }
        return spec.getRenewTime().toInstant()
                .plus(Duration.ofSeconds(spec.getLeaseDurationSeconds() == null ? 0 : spec.getLeaseDurationSeconds()));
    }

    /** Another replica takes the Lease for a minute, as if this one had missed its renewals. */
    void takeOver(String identity) {
        client.leases().inNamespace(namespace).withName(name).edit(lease -> {
            lease.getSpec().setHolderIdentity(identity);
            lease.getSpec().setLeaseDurationSeconds(60);
            lease.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
            return lease;
        });
    }

    String describe() {
        return spec().map(LeaseSpec::toString).orElse("no Lease " + namespace + "/" + name);
    }
}
