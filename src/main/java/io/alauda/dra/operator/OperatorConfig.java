package io.alauda.dra.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of the operator role (application.properties, or DRA_OPERATOR_* in the environment). */
@ConfigMapping(prefix = "dra.operator")
public interface OperatorConfig {

    /** The driver image used when the CR names none: the image this operator runs from (OLM sets it as a related image). */
    String driverImage();

    /** How often a Duplicate NvidiaDraDriver checks whether it has become the oldest. */
    @WithDefault("15s")
    Duration duplicateRecheck();

    /** Periodic re-check while everything is ready; catches what no watch reports. */
    @WithDefault("5m")
    Duration resync();

    /** How often the operator looks again while a rollout is in progress or a deletion waits for the DaemonSet. */
    @WithDefault("5s")
    Duration progressRecheck();

    /** How long an informer may run without an open watch before liveness fails (see OperatorWatchLiveness). */
    @WithDefault("5m")
    Duration watchGrace();
}
