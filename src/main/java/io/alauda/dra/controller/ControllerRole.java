package io.alauda.dra.controller;

import io.alauda.dra.Role;
import io.alauda.dra.RoleConfig;
import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.alauda.dra.resourceapi.ServedVersions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.HealthRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import java.time.Clock;

/**
 * Starts the controller only in the controller role; the operator and the kubelet plugin, with their own RBAC,
 * never open these watches. Readiness waits for the informers to sync, so during a rolling update the old pod keeps
 * serving metrics until the new one has complete numbers.
 */
@ApplicationScoped
public class ControllerRole {

    private static final Logger LOG = Logger.getLogger(ControllerRole.class);
    static final String READINESS_CHECK = "nvidia-dra-controller-informers";

    @Inject
    RoleConfig roleConfig;

    @Inject
    ControllerConfig config;

    @Inject
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    @Inject
    @Readiness
    HealthRegistry readiness;

    private volatile ControllerRuntime runtime;

    void onStart(@Observes StartupEvent event) {
        if (roleConfig.parsedRole() != Role.CONTROLLER) {
            return;
        }
        ResourceApiVersion api = resourceApi(config.resourceApiVersion(), ServedVersions.fromApiServer(client));
        ControllerRuntime started = new ControllerRuntime(client, registry, config.settings(api), Clock.systemUTC());
        readiness.register(READINESS_CHECK, () -> HealthCheckResponse.named(READINESS_CHECK)
                .status(started.synced())
                .withData("resourceApiVersion", api.id())
                .withData("leader", started.leading())
                .build());
        started.start().exceptionally(error -> {
            LOG.error("controller informers failed to start", error);
            return null;
        });
        runtime = started;
    }

    /** The version to watch: the configured one, or with "auto" the newest the server serves. */
    static ResourceApiVersion resourceApi(String setting, ServedVersions served) {
        return served.pick(setting).orElseThrow(() -> new IllegalStateException("the API server serves no resource.k8s.io "
                + "version this controller can read (v1, v1beta2 or v1beta1; served: " + served.served() + "): enable Dynamic "
                + "Resource Allocation on the cluster, or set RESOURCE_API_VERSION through the NvidiaDraDriver's spec.resourceApiVersion"));
    }

    void onStop(@Observes ShutdownEvent event) {
        ControllerRuntime running = runtime;
        if (running != null) {
            running.close();
        }
    }
}
