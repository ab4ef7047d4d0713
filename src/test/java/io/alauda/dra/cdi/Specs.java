package io.alauda.dra.cdi;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Small hand-written specs for rule tests: valid unless a test changes one thing. */
final class Specs {

    static final DeviceNode NODE = new DeviceNode("/dev/nvidia0", null, null, 195L, 0L, 0666, "rwm", null, null);

    private Specs() {
    }

    static ContainerEdits nodeEdits(DeviceNode node) {
        return new ContainerEdits(null, List.of(node), null, null, null);
    }

    static Spec withDevice(Device device) {
        return new Spec("1.1.0", "example.com/gpu", List.of(device), ContainerEdits.EMPTY);
    }

    static Spec withEdits(ContainerEdits edits) {
        return withDevice(new Device("gpu0", edits));
    }

    static Spec valid() {
        return withEdits(nodeEdits(NODE));
    }

    static TreeMap<String, String> annotations(String key, String value) {
        return new TreeMap<>(Map.of(key, value));
    }
}
