package io.alauda.dra.plugin.prepare;

import io.alauda.dra.plugin.api.ResourceClaimRef;

/** Where claims are read from: the API server, live, on every prepare that needs the allocation. */
public interface ClaimSource {

    /**
     * Reads the claim and checks that it is the one kubelet means and that it is allocated.
     *
     * @throws ClaimFailure {@link ClaimErrorType#CLAIM_NOT_FOUND}, {@link ClaimErrorType#CLAIM_REPLACED},
     *                      {@link ClaimErrorType#CLAIM_NOT_ALLOCATED} or {@link ClaimErrorType#API_ERROR}
     */
    AllocatedClaim fetch(ResourceClaimRef claim) throws ClaimFailure;
}
