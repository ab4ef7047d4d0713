package io.alauda.dra.operator;

import io.alauda.dra.Role;
import io.alauda.dra.RoleConfig;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Starts the operator only in the operator role. QOSDK's own start is switched off (start-operator=false) because
 * the kubelet plugin and the controller run from the same image with much narrower RBAC and must not watch the CR.
 */
@ApplicationScoped
public class OperatorRole {

    private static final Logger LOG = Logger.getLogger(OperatorRole.class);

    @Inject
    RoleConfig roleConfig;

    @Inject
    Operator operator;

    private volatile boolean started;

    void onStart(@Observes StartupEvent event) {
        if (roleConfig.parsedRole() != Role.OPERATOR) {
            return;
        }
        LOG.info("starting the NvidiaDraDriver operator");
        operator.start();
        started = true;
    }

    void onStop(@Observes ShutdownEvent event) {
        if (started) {
            operator.stop();
        }
    }
}
