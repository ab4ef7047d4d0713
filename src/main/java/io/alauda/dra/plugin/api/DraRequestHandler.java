package io.alauda.dra.plugin.api;

import java.util.List;
import java.util.Map;

/**
 * What the kubelet plugin does for NodePrepareResources / NodeUnprepareResources, free of gRPC and proto types.
 * One implementation serves both kubelet API versions (v1 and v1beta1).
 *
 * <p>Contract, kept by the gRPC layer around it:
 * <ul>
 *   <li>Calls run concurrently on several threads; serialising work on the same claim or device is the
 *       implementation's job.</li>
 *   <li>The list holds each claim UID once and is never empty (an empty kubelet request is answered without
 *       calling the handler).</li>
 *   <li>The returned map is keyed by claim UID and should answer every claim; a claim left out is reported to
 *       kubelet as failed, and kubelet retries it. Entries for UIDs that were not asked for are dropped.</li>
 *   <li>A per-claim problem belongs in that claim's result; throwing fails the whole call with gRPC INTERNAL
 *       (a thrown {@link io.grpc.StatusRuntimeException} keeps its own status), and kubelet retries every claim
 *       in it.</li>
 *   <li>Both calls must be idempotent: kubelet repeats them after restarts.</li>
 * </ul>
 */
public interface DraRequestHandler {

    /**
     * Prepares the claims; returns claim UID → devices or error. Once {@code cancellation} says the caller stopped
     * waiting, the claims not yet started get an error instead of being prepared, and none is left half-prepared.
     */
    Map<String, NodePrepareResult> prepare(List<ResourceClaimRef> claims, CallCancellation cancellation);

    /**
     * Unprepares the claims; returns claim UID → error text, empty when the claim is unprepared (also when it was
     * never prepared on this node).
     */
    Map<String, String> unprepare(List<ResourceClaimRef> claims);
}
