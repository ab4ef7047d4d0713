package io.alauda.dra.operator;

import io.alauda.dra.api.v1alpha1.NvidiaDraDriver;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * Only one NvidiaDraDriver installs the driver: the oldest (by creation time, then name). It stays the active one
 * while it is being deleted, because its objects exist until its cleanup is done.
 */
final class ActiveDriver {

    private static final Comparator<NvidiaDraDriver> OLDEST_FIRST = Comparator
            .comparing((NvidiaDraDriver d) -> d.getMetadata().getCreationTimestamp() == null ? "" : d.getMetadata().getCreationTimestamp())
            .thenComparing(d -> d.getMetadata().getName());

    private ActiveDriver() {
    }

    static Optional<NvidiaDraDriver> of(Collection<NvidiaDraDriver> all) {
        return all.stream().min(OLDEST_FIRST);
    }
}
