package io.alauda.dra.plugin.grpc;

import io.alauda.dra.plugin.api.CallCancellation;
import io.alauda.dra.plugin.api.DraRequestHandler;
import io.alauda.dra.plugin.api.NodePrepareResult;
import io.alauda.dra.plugin.api.ResourceClaimRef;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The version-neutral half of the DRA service: checks what kubelet sent, calls the handler, and makes sure every
 * requested claim is answered. Both API versions (v1, v1beta1) go through here, so they behave the same.
 */
final class KubeletRequestDispatcher {

    private static final Logger LOG = Logger.getLogger(KubeletRequestDispatcher.class);

    private final DraRequestHandler handler;

    KubeletRequestDispatcher(DraRequestHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /** @throws StatusRuntimeException INVALID_ARGUMENT for a claim without UID, INTERNAL when the handler fails */
    Map<String, NodePrepareResult> prepare(List<ResourceClaimRef> requested, CallCancellation cancellation) {
        List<ResourceClaimRef> claims = distinctByUid(requested, "NodePrepareResources");
        Map<String, NodePrepareResult> response = new LinkedHashMap<>();
        List<ResourceClaimRef> forHandler = new ArrayList<>();
        for (ResourceClaimRef claim : claims) {
            // The handler must GET the claim by namespace/name; without them it can only fail, so say why here.
            if (claim.namespace().isBlank() || claim.name().isBlank()) {
                response.put(claim.uid(), NodePrepareResult.failed("claim " + claim.uid()
                        + " arrived without namespace or name; kubelet must send both to prepare a ResourceClaim"));
            } else {
                forHandler.add(claim);
            }
        }
        if (forHandler.isEmpty()) {
            return response;
        }
        Map<String, NodePrepareResult> answered = callHandler("NodePrepareResources", () -> handler.prepare(forHandler, cancellation));
        warnAboutUnrequested(answered, forHandler, "NodePrepareResources");
        for (ResourceClaimRef claim : forHandler) {
            NodePrepareResult result = answered.get(claim.uid());
            if (result == null) {
                LOG.warnf("NodePrepareResources: the handler gave no result for claim %s; reporting it as failed", claim);
                result = NodePrepareResult.failed("the kubelet plugin produced no result for claim " + claim
                        + "; kubelet will retry");
            }
            response.put(claim.uid(), result);
        }
        return response;
    }

    /** Claim UID → error text ("" = unprepared). Same failure statuses as {@link #prepare}. */
    Map<String, String> unprepare(List<ResourceClaimRef> requested) {
        List<ResourceClaimRef> claims = distinctByUid(requested, "NodeUnprepareResources");
        if (claims.isEmpty()) {
            return Map.of();
        }
        Map<String, String> answered = callHandler("NodeUnprepareResources", () -> handler.unprepare(claims));
        warnAboutUnrequested(answered, claims, "NodeUnprepareResources");
        Map<String, String> response = new LinkedHashMap<>();
        for (ResourceClaimRef claim : claims) {
            String error;
            if (answered.containsKey(claim.uid())) {
                error = Objects.requireNonNullElse(answered.get(claim.uid()), "");
            } else {
                LOG.warnf("NodeUnprepareResources: the handler gave no result for claim %s; reporting it as failed", claim);
                error = "the kubelet plugin produced no result for claim " + claim + "; kubelet will retry";
            }
            response.put(claim.uid(), error);
        }
        return response;
    }

    private static List<ResourceClaimRef> distinctByUid(List<ResourceClaimRef> requested, String method) {
        Map<String, ResourceClaimRef> byUid = new LinkedHashMap<>();
        for (int i = 0; i < requested.size(); i++) {
            ResourceClaimRef claim = requested.get(i);
            if (claim.uid().isBlank()) {
                throw Status.INVALID_ARGUMENT
                        .withDescription(method + ": claims[" + i + "].uid is empty; kubelet must send the UID of every"
                                + " ResourceClaim, it keys the response")
                        .asRuntimeException();
            }
            ResourceClaimRef first = byUid.putIfAbsent(claim.uid(), claim);
            if (first != null) {
                LOG.debugf("%s: claim %s listed twice; answering it once", method, claim);
            }
        }
        return List.copyOf(byUid.values());
    }

    private static <V> Map<String, V> callHandler(String method, Supplier<Map<String, V>> call) {
        Map<String, V> answered;
        try {
            answered = call.get();
        } catch (StatusRuntimeException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s: the DRA request handler failed", method);
            throw Status.INTERNAL
                    .withDescription(method + " failed in the kubelet plugin: " + describe(e)
                            + " (see the plugin log; kubelet will retry)")
                    .withCause(e)
                    .asRuntimeException();
        }
        if (answered == null) {
            LOG.errorf("%s: the DRA request handler returned no result map", method);
            throw Status.INTERNAL
                    .withDescription(method + " failed in the kubelet plugin: the handler returned no result map")
                    .asRuntimeException();
        }
        return answered;
    }

    private static void warnAboutUnrequested(Map<String, ?> answered, List<ResourceClaimRef> claims, String method) {
        Set<String> asked = claims.stream().map(ResourceClaimRef::uid).collect(Collectors.toSet());
        List<String> extra = answered.keySet().stream().filter(uid -> !asked.contains(uid)).toList();
        if (!extra.isEmpty()) {
            LOG.warnf("%s: the handler answered claims that were not requested, dropping them: %s", method, extra);
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + message;
    }
}
