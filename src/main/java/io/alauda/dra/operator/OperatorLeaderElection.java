package io.alauda.dra.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.UUID;

/**
 * Turns on JOSDK leader election (QOSDK activates it only when such a bean exists, and only in the prod profile), so
 * that an operator Deployment scaled above one replica, or a rollout that briefly runs two, has one active reconciler.
 * The Lease lives in the operator's own namespace, which the install grants through a Role.
 * <p>
 * {@code exitOnStopLeading} is off: JOSDK 5.3.2 would call {@code System.exit} from the stop-leading callback, and on
 * SIGTERM that callback runs inside Quarkus' shutdown (Operator.stop cancels the election), where System.exit blocks
 * forever on the JVM's shutdown lock. {@link OperatorLeaseStepDown} releases the Lease and exits the Quarkus way instead.
 */
@Singleton
public class OperatorLeaderElection extends LeaderElectionConfiguration {

    static final String LEASE_NAME = "nvidia-dra-driver-operator";

    @Inject
    public OperatorLeaderElection(KubernetesClient client) {
        this(new OperatorLeaseStepDown(client, LEASE_NAME, identity()));
    }

    // The constructor JOSDK's builder calls; extending the class keeps this a bean of the type QOSDK looks up.
    @SuppressWarnings("deprecation")
    private OperatorLeaderElection(OperatorLeaseStepDown stepDown) {
        super(LEASE_NAME, null, LEASE_DURATION_DEFAULT_VALUE, RENEW_DEADLINE_DEFAULT_VALUE, RETRY_PERIOD_DEFAULT_VALUE,
                stepDown.identity(), new LeaderCallbacks(() -> { }, stepDown::stoppedLeading, leader -> { }), false);
    }

    /** JOSDK's own default (HOSTNAME, the pod name, else random), fixed here because the step-down must know it. */
    private static String identity() {
        String hostname = System.getenv("HOSTNAME");
        return hostname == null || hostname.isBlank() ? UUID.randomUUID().toString() : hostname;
    }
}
