package io.alauda.dra.cdi;

import java.util.List;
import java.util.SortedMap;

/**
 * A CDI spec file: the container edits a runtime applies for each named device of one {@code vendor/class} kind.
 * Records accept anything so that a file read from disk can be represented before {@link SpecValidator} judges it.
 *
 * @param cdiVersion     the version this file declares; see {@link CdiVersions#minimumFor(Spec)}
 * @param kind           {@code <vendor>/<class>}, e.g. {@code k8s.gpu.nvidia.com/claim}
 * @param annotations    optional; any entry raises the minimum version to 0.6.0
 * @param devices        at least one, names unique within the spec
 * @param containerEdits edits applied once for any device of this spec
 */
public record Spec(
        String cdiVersion,
        String kind,
        SortedMap<String, String> annotations,
        List<Device> devices,
        ContainerEdits containerEdits) {

    public Spec {
        annotations = ImmutableCopies.sortedMap(annotations);
        devices = ImmutableCopies.list(devices);
        containerEdits = containerEdits == null ? ContainerEdits.EMPTY : containerEdits;
    }

    public Spec(String cdiVersion, String kind, List<Device> devices, ContainerEdits containerEdits) {
        this(cdiVersion, kind, null, devices, containerEdits);
    }

    public Spec withCdiVersion(String version) {
        return new Spec(version, kind, annotations, devices, containerEdits);
    }
}
