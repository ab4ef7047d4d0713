package io.alauda.dra.controller;

import java.util.List;

/**
 * A ResourceSlice in any resource.k8s.io version, cut down to what the controller uses.
 *
 * @param nodeName        spec.nodeName; null for slices that select nodes otherwise (allNodes, nodeSelector)
 * @param poolGeneration  spec.pool.generation; only a pool's newest generation counts
 */
public record SliceView(String name, String uid, String resourceVersion, String driver, String nodeName, String pool,
                        long poolGeneration, List<PublishedDevice> devices) {

    public SliceView {
        devices = List.copyOf(devices);
    }

    /** Published for exactly one node, the only kind of slice the stale-slice cleanup may touch. */
    public boolean perNode() {
        return nodeName != null && !nodeName.isEmpty();
    }
}
