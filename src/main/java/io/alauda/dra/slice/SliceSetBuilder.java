package io.alauda.dra.slice;

import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The ResourceSlices one node publishes: driver {@code gpu.nvidia.com}, one pool named after the node, owned by the
 * Node, devices sorted by name and split into slices of at most 128. Pure: it only builds objects.
 */
public final class SliceSetBuilder {

    private SliceSetBuilder() {
    }

    /**
     * @param devices    the node's devices, in any order
     * @param nodeName   the Node's name: pool name, {@code spec.nodeName} and owner
     * @param nodeUid    the Node's UID, for the owner reference
     * @param generation the pool generation to write into every slice
     * @param version    which fabric8 ResourceSlice class to build; elements are instances of
     *                   {@link ResourceApiVersion#sliceClass()}
     * @return the slices in pool order, each with {@code metadata.generateName} set and no name
     * @throws SliceLimitException when a device breaks an API limit, naming the device
     */
    public static List<HasMetadata> build(List<AllocatableDevice> devices, String nodeName, String nodeUid, long generation,
                                          ResourceApiVersion version) {
        return render(WantedPool.untainted(SliceLayout.split(devices)), nodeName, nodeUid, generation, version);
    }

    static List<HasMetadata> render(WantedPool pool, String nodeName, String nodeUid, long generation,
                                    ResourceApiVersion version) {
        List<List<AllocatableDevice>> layout = pool.layout();
        requireText(nodeName, "nodeName");
        requireText(nodeUid, "nodeUid");
        Objects.requireNonNull(version, "version");
        if (generation < 0) {
            throw new IllegalArgumentException("pool generation must not be negative: " + generation);
        }
        List<HasMetadata> slices = new ArrayList<>(layout.size());
        for (int index = 0; index < layout.size(); index++) {
            SliceHeader header = new SliceHeader(nodeName, nodeUid, generation, index, layout.size());
            slices.add(SliceRenderer.render(version, header, layout.get(index), pool.taints()));
        }
        return List.copyOf(slices);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is empty: a ResourceSlice needs the Node's name and UID");
        }
    }
}
