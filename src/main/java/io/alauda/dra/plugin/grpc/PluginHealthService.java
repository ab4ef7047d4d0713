package io.alauda.dra.plugin.grpc;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.jboss.logging.Logger;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Standard {@code grpc.health.v1.Health/Check} for the kubelet liveness probe: SERVING only when both plugin sockets
 * answer. Service names "" and "liveness" are known; others get NOT_FOUND, as the health protocol asks.
 * Watch is not offered (UNIMPLEMENTED): probes only use Check.
 */
public final class PluginHealthService extends HealthGrpc.HealthImplBase {

    public static final Set<String> SERVICE_NAMES = Set.of("", "liveness");

    private static final Logger LOG = Logger.getLogger(PluginHealthService.class);

    private final Supplier<KubeletSocketProbe.Result> probe;
    private volatile boolean lastHealthy = true;

    public PluginHealthService(Supplier<KubeletSocketProbe.Result> probe) {
        this.probe = probe;
    }

    @Override
    public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> observer) {
        if (!SERVICE_NAMES.contains(request.getService())) {
            observer.onError(Status.NOT_FOUND
                    .withDescription("unknown health service '" + request.getService() + "'; ask for \"\" or \"liveness\"")
                    .asRuntimeException());
            return;
        }
        KubeletSocketProbe.Result result;
        try {
            result = probe.get();
        } catch (RuntimeException e) {
            result = new KubeletSocketProbe.Result(false, "health probe failed: " + e);
        }
        logChange(result);
        observer.onNext(HealthCheckResponse.newBuilder()
                .setStatus(result.healthy() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING)
                .build());
        observer.onCompleted();
    }

    // Probes run every few seconds; log transitions, not every check.
    private void logChange(KubeletSocketProbe.Result result) {
        if (result.healthy() != lastHealthy) {
            lastHealthy = result.healthy();
            if (result.healthy()) {
                LOG.info("kubelet plugin sockets answer again: health SERVING");
            } else {
                LOG.warnf("health NOT_SERVING: %s", result.detail());
            }
        }
    }
}
