package io.alauda.dra.cdi;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Device nodes by path, because creating real ones needs root. */
final class FakeDeviceNodes implements DeviceNodeSource {

    private final Map<Path, DeviceNodeInfo> nodes = new HashMap<>();

    FakeDeviceNodes charDevice(Path path, long major, long minor, int mode, long gid) {
        nodes.put(path, new DeviceNodeInfo("c", major, minor, mode, gid));
        return this;
    }

    FakeDeviceNodes charDevice(Path path, long major, long minor) {
        return charDevice(path, major, minor, 0666, 0);
    }

    @Override
    public Optional<DeviceNodeInfo> stat(Path path) {
        return Optional.ofNullable(nodes.get(path));
    }
}
