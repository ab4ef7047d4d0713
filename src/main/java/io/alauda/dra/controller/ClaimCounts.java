package io.alauda.dra.controller;

/** Claims of one namespace that concern our driver: allocated, and still waiting for an allocation. */
public record ClaimCounts(long allocated, long pending) {

    static final ClaimCounts ZERO = new ClaimCounts(0, 0);

    ClaimCounts plus(boolean isAllocated) {
        return isAllocated ? new ClaimCounts(allocated + 1, pending) : new ClaimCounts(allocated, pending + 1);
    }
}
