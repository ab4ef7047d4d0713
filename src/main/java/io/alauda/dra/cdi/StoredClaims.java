package io.alauda.dra.cdi;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The claim specs found in the CDI directory, for rebuilding plugin state when the checkpoint is lost.
 *
 * @param devicesByClaim claim UID to the names of the driver's devices in its spec ({@code gpu-0}, without the UID)
 * @param problems       files that look like ours but could not be read, each with the reason
 */
public record StoredClaims(SortedMap<String, List<String>> devicesByClaim, List<String> problems) {

    public StoredClaims {
        devicesByClaim = Collections.unmodifiableSortedMap(new TreeMap<>(devicesByClaim));
        problems = List.copyOf(problems);
    }
}
