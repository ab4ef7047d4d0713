package io.alauda.dra.operator;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator's own Lease release (JOSDK's elector never releases): only its own Lease, handed over at once. */
@EnableKubernetesMockClient(crud = true)
class OperatorLeaseStepDownTest {

    private static final String NAME = OperatorLeaderElection.LEASE_NAME;

    KubernetesClient client;

    private void lease(String holder) {
        ZonedDateTime renewed = ZonedDateTime.now(ZoneOffset.UTC);
        client.resource(new LeaseBuilder().withNewMetadata().withName(NAME).endMetadata()
                .withNewSpec().withHolderIdentity(holder).withLeaseDurationSeconds(15).withAcquireTime(renewed)
                .withRenewTime(renewed).withLeaseTransitions(2).endSpec().build()).create();
    }

    private Lease current() {
        return client.leases().withName(NAME).get();
    }

    @Test
    void releasesItsOwnLeaseSoASuccessorNeedNotWaitOutTheDuration() {
        lease("operator-a");
        assertTrue(new OperatorLeaseStepDown(client, NAME, "operator-a").release());
        Lease released = current();
        assertNull(released.getSpec().getHolderIdentity());
        assertEquals(1, released.getSpec().getLeaseDurationSeconds());
        assertEquals(2, released.getSpec().getLeaseTransitions(), "a release is not a transition");
    }

    @Test
    void leavesALeaseAnotherReplicaHoldsAlone() {
        lease("operator-b");
        assertFalse(new OperatorLeaseStepDown(client, NAME, "operator-a").release());
        assertEquals("operator-b", current().getSpec().getHolderIdentity());
        assertEquals(15, current().getSpec().getLeaseDurationSeconds());
    }

    @Test
    void noLeaseNothingToRelease() {
        assertFalse(new OperatorLeaseStepDown(client, NAME, "operator-a").release());
        assertNull(current());
    }
}
