package io.alauda.dra.plugin.prepare;

import io.alauda.dra.plugin.api.ResourceClaimRef;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A claim source that records which claims were fetched and lets a test act while a GET is in flight. */
final class WatchedClaimSource implements ClaimSource {

    /** Runs inside the fetch, before the real GET; may block (a slow API server) or cancel the call. */
    @FunctionalInterface
    interface DuringFetch {
        void run(ResourceClaimRef ref) throws ClaimFailure;
    }

    final List<String> fetched = new CopyOnWriteArrayList<>();
    private final ClaimSource real;
    volatile DuringFetch during = ref -> {
    };

    WatchedClaimSource(ClaimSource real) {
        this.real = real;
    }

    @Override
    public AllocatedClaim fetch(ResourceClaimRef ref) throws ClaimFailure {
        fetched.add(ref.name());
        during.run(ref);
        return real.fetch(ref);
    }
}
