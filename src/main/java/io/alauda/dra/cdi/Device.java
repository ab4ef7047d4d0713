package io.alauda.dra.cdi;

import java.util.SortedMap;

/**
 * One device of a spec; its fully qualified CDI ID is {@code <kind>=<name>}.
 *
 * @param annotations optional; any entry raises the minimum version to 0.6.0
 */
public record Device(String name, SortedMap<String, String> annotations, ContainerEdits containerEdits) {

    public Device {
        annotations = ImmutableCopies.sortedMap(annotations);
        containerEdits = containerEdits == null ? ContainerEdits.EMPTY : containerEdits;
    }

    public Device(String name, ContainerEdits containerEdits) {
        this(name, null, containerEdits);
    }
}
