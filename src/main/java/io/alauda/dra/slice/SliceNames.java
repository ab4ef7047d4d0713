package io.alauda.dra.slice;

import io.alauda.dra.device.DeviceModel;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Names, labels and owner of our slices.
 *
 * <p>The name is the one the user documentation shows and upstream's drivers up to v25.12 published (through
 * k8s.io/dynamic-resource-allocation v0.34's helper): {@code <node>-gpu.nvidia.com-} plus the suffix the API
 * server appends. Which wanted slice an existing one stands for is carried by the label {@link #LABEL_SLICE_INDEX},
 * not by the name: the API server keeps only the first 58 characters of a generateName, so anything after a long
 * node name can be cut off. Slices of the previous release, named {@code <hex index>-gpu.nvidia.com-<node>-} (the
 * convention of upstream's newer helper) and without the label, are still recognised by {@link #legacyIndex}.
 */
final class SliceNames {

    static final String LABEL_NAME = "app.kubernetes.io/name";
    static final String LABEL_COMPONENT = "app.kubernetes.io/component";
    static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
    /** The slice's position in the node's pool, in decimal: what a restarted publisher matches existing slices by. */
    static final String LABEL_SLICE_INDEX = "dra.alauda.io/slice-index";
    static final String NAME = "nvidia-dra-driver";
    static final String COMPONENT = "kubelet-plugin";
    /** Not the operator's managed-by value: the operator's label-driven clean-up must never sweep slices away. */
    static final String MANAGED_BY = "nvidia-dra-driver-kubelet-plugin";

    /**
     * metadata.generateName is validated as a DNS subdomain prefix, at most 253 characters. (The check first masks
     * the final dash, which shortens the string by one, so 254 would pass; we do not rely on that.)
     */
    static final int MAX_GENERATE_NAME_LENGTH = 253;
    /**
     * What the API server keeps of a generateName before appending 5 random characters (k8s.io/apiserver
     * pkg/storage/names: MaxGeneratedNameLength = 63 - 5), so a generated name is never longer than 63.
     */
    static final int KEPT_GENERATE_NAME_LENGTH = 58;

    private static final int MIN_LEGACY_INDEX_WIDTH = 5;
    private static final char SEPARATOR = '-';
    private static final String SUFFIX = SEPARATOR + DeviceModel.DRIVER + SEPARATOR;
    /** Canonical decimal only, so that one index has exactly one label value. */
    private static final Pattern INDEX_VALUE = Pattern.compile("0|[1-9][0-9]{0,8}");

    private SliceNames() {
    }

    /**
     * {@code <node>-gpu.nvidia.com-}. For a node name longer than 237 characters that would exceed 253, and from
     * 239 on the API server refuses it (upstream's helper sends it anyway, and its slices are never created). Since the
     * server keeps only the first 58 characters of a generateName, we send 57 of the node's (without trailing dots or
     * dashes: a dot followed by the dash would make the generated name invalid) plus a dash, and the slice gets the
     * same kind of name the server gives any node longer than 42 characters.
     */
    static String generateName(String nodeName) {
        String full = nodeName + SUFFIX;
        if (full.length() <= MAX_GENERATE_NAME_LENGTH) {
            return full;
        }
        String kept = nodeName.substring(0, KEPT_GENERATE_NAME_LENGTH - 1).replaceAll("[.-]+$", "");
        return kept + SEPARATOR;
    }

    /** The index the label gives, when it holds one. */
    static OptionalInt labelIndex(Map<String, String> labels) {
        String value = labels == null ? null : labels.get(LABEL_SLICE_INDEX);
        if (value == null || !INDEX_VALUE.matcher(value).matches()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(value));
    }

    /**
     * The index a slice of the previous release starts its name with: {@code 00000-gpu.nvidia.com-node-a-x7k2p} is
     * slice 0, and the hex index is as wide as the pool needed (at least 5 digits). The {@code -gpu.nvidia.com-}
     * after it must follow, so that a new-style name of a node that happens to be called like a hex number
     * ({@code abcde-gpu.nvidia.com-x7k2p}) is the only kind of name mistaken for one; such a slice carries the label,
     * which is read first.
     */
    static OptionalInt legacyIndex(String name, int sliceCount) {
        int width = legacyIndexWidth(sliceCount);
        if (name == null || name.indexOf(SEPARATOR) != width || !name.startsWith(SUFFIX, width)) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(name.substring(0, width), 16));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** The previous release wrote the index wide enough for the highest one, at least 5 hex digits. */
    static int legacyIndexWidth(int sliceCount) {
        return Math.max(MIN_LEGACY_INDEX_WIDTH, Integer.toHexString(Math.max(0, sliceCount - 1)).length());
    }

    static Map<String, String> labels(int index) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_NAME, NAME);
        labels.put(LABEL_COMPONENT, COMPONENT);
        labels.put(LABEL_MANAGED_BY, MANAGED_BY);
        labels.put(LABEL_SLICE_INDEX, Integer.toString(index));
        return labels;
    }

    /** The Node owns the slice, so deleting the Node garbage-collects it (upstream does the same). */
    static OwnerReference nodeOwner(String nodeName, String nodeUid) {
        return new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node").withName(nodeName).withUid(nodeUid)
                .withController(true).build();
    }

    static ObjectMeta metadata(SliceHeader header) {
        return new ObjectMetaBuilder()
                .withGenerateName(generateName(header.nodeName()))
                .withLabels(labels(header.index()))
                .withOwnerReferences(nodeOwner(header.nodeName(), header.nodeUid()))
                .build();
    }
}
