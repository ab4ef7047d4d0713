package io.alauda.dra.cdi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Null-tolerant immutable copies for the spec records: a missing list or map in a file means "empty". */
final class ImmutableCopies {

    private ImmutableCopies() {
    }

    static <T> List<T> list(List<T> values) {
        if (values == null) {
            return List.of();
        }
        // List.copyOf rejects null elements; a null inside a hand-built spec is a validation finding, not a crash.
        return Collections.unmodifiableList(new ArrayList<>(values));
    }

    static SortedMap<String, String> sortedMap(Map<String, String> values) {
        if (values == null) {
            return Collections.emptySortedMap();
        }
        return Collections.unmodifiableSortedMap(new TreeMap<>(values));
    }
}
