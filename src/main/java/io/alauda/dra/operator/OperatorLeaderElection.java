package io.alauda.dra.operator;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.inject.Singleton;

/**
 * Turns on JOSDK leader election (QOSDK activates it only when such a bean exists, and only in the prod profile), so
 * that an operator Deployment scaled above one replica, or a rollout that briefly runs two, has one active reconciler.
 * The Lease lives in the operator's own namespace, which the install grants through a Role.
 */
@Singleton
public class OperatorLeaderElection extends LeaderElectionConfiguration {

    public OperatorLeaderElection() {
        super("nvidia-dra-driver-operator");
    }
}
