package io.alauda.dra.operator;

import io.alauda.dra.Role;
import io.alauda.dra.RoleConfig;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.health.InformerWrappingEventSourceHealthIndicator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Liveness of the operator role: DOWN when one of its watches is dead, so that the kubelet restarts a process that
 * would otherwise run on without ever seeing an NvidiaDraDriver change again. A watch is dead when its informer stopped
 * on an error (fabric8 never restarts it; {@link InformerStops}), or when it has been running without a watch open for
 * longer than {@code dra.operator.watch-grace} (fabric8 reconnects within seconds, so only a stuck informer stays
 * so long; an API server that is down for that long gains nothing from a restart, hence the generous default).
 * The other roles run no operator: for them the check is UP.
 */
@Liveness
@ApplicationScoped
public class OperatorWatchLiveness implements HealthCheck {

    static final String NAME = "NvidiaDraDriver operator watches";

    @Inject
    RoleConfig role;

    @Inject
    Operator operator;

    @Inject
    InformerStops stops;

    @Inject
    OperatorConfig config;

    private final Clock clock = Clock.systemUTC();

    private final Map<String, Instant> notWatchingSince = new ConcurrentHashMap<>();

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"}) // JOSDK's health indicators are raw types
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
        if (role.parsedRole() != Role.OPERATOR) {
            return response.up().withData("role", role.role()).build();
        }
        RuntimeInfo runtime = operator.getRuntimeInfo();
        if (!runtime.isStarted()) {
            return response.up().withData("operator", "not started yet").build();
        }
        List<String> dead = new ArrayList<>();
        stops.stops().forEach(s -> dead.add(s.informer() + " stopped at " + s.at() + ": " + s.error()));
        int watching = 0;
        Instant now = clock.instant();
        for (RegisteredController<?> controller : runtime.getRegisteredControllers()) {
            Map<String, InformerWrappingEventSourceHealthIndicator> sources =
                    controller.getControllerHealthInfo().informerEventSourceHealthIndicators();
            for (Map.Entry<String, InformerWrappingEventSourceHealthIndicator> source : sources.entrySet()) {
                Map<String, InformerHealthIndicator> informers = source.getValue().informerHealthIndicators();
                for (Map.Entry<String, InformerHealthIndicator> informer : informers.entrySet()) {
                    String key = controller.getConfiguration().getName() + "/" + source.getKey() + "@" + informer.getKey();
                    InformerHealthIndicator state = informer.getValue();
                    if (state.isRunning() && state.isWatching()) {
                        notWatchingSince.remove(key);
                        watching++;
                    } else if (!state.isRunning()) {
                        if (state.hasSynced()) {
                            dead.add(key + " has stopped");
                        }
                        // never synced: not started yet (the operator fails its start-up if an informer cannot start)
                    } else {
                        Instant since = notWatchingSince.computeIfAbsent(key, k -> now);
                        if (Duration.between(since, now).compareTo(config.watchGrace()) > 0) {
                            dead.add(key + " has had no open watch since " + since);
                        }
                    }
                }
            }
        }
        response.withData("watching", watching);
        if (dead.isEmpty()) {
            return response.up().build();
        }
        return response.down().withData("dead", String.join("; ", dead)).build();
    }
}
