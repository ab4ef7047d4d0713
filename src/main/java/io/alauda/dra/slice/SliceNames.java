package io.alauda.dra.slice;

import io.alauda.dra.device.DeviceModel;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Names, labels and owner of our slices. The name convention is the current upstream helper's:
 * {@code <index, 5+ hex digits>-gpu.nvidia.com-<node>-} plus the suffix the API server appends. The index at the
 * front keeps the allocator's lexicographic order equal to our order and lets a restarted publisher recognise which
 * existing slice stands for which desired one; slices named otherwise (older helpers used
 * {@code <node>-<driver>-}) are treated as obsolete and replaced.
 */
final class SliceNames {

    static final String LABEL_NAME = "app.kubernetes.io/name";
    static final String LABEL_COMPONENT = "app.kubernetes.io/component";
    static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String NAME = "nvidia-dra-driver";
    static final String COMPONENT = "kubelet-plugin";
    /** Not the operator's managed-by value: the operator's label-driven clean-up must never sweep slices away. */
    static final String MANAGED_BY = "nvidia-dra-driver-kubelet-plugin";

    private static final int MIN_INDEX_WIDTH = 5;
    private static final char SEPARATOR = '-';

    private SliceNames() {
    }

    static String generateName(int index, int sliceCount, String nodeName) {
        String hex = Integer.toHexString(index);
        return "0".repeat(Math.max(0, indexWidth(sliceCount) - hex.length())) + hex
                + SEPARATOR + DeviceModel.DRIVER + SEPARATOR + nodeName + SEPARATOR;
    }

    /** Wide enough for the highest index, so that names sort in index order. */
    static int indexWidth(int sliceCount) {
        return Math.max(MIN_INDEX_WIDTH, Integer.toHexString(Math.max(0, sliceCount - 1)).length());
    }

    /** The index a slice's name starts with, when it follows our convention for a pool of this size. */
    static OptionalInt index(String name, int sliceCount) {
        int width = indexWidth(sliceCount);
        if (name == null || name.indexOf(SEPARATOR) != width) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(name.substring(0, width), 16));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    static Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_NAME, NAME);
        labels.put(LABEL_COMPONENT, COMPONENT);
        labels.put(LABEL_MANAGED_BY, MANAGED_BY);
        return labels;
    }

    /** The Node owns the slice, so deleting the Node garbage-collects it (upstream does the same). */
    static OwnerReference nodeOwner(String nodeName, String nodeUid) {
        return new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node").withName(nodeName).withUid(nodeUid)
                .withController(true).build();
    }

    static ObjectMeta metadata(SliceHeader header) {
        return new ObjectMetaBuilder()
                .withGenerateName(generateName(header.index(), header.sliceCount(), header.nodeName()))
                .withLabels(labels())
                .withOwnerReferences(nodeOwner(header.nodeName(), header.nodeUid()))
                .build();
    }
}
