package io.alauda.dra.cdi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Looks up device nodes. Behind an interface because creating a device node needs root, so tests answer from a
 * map while production asks the kernel ({@link UnixDeviceNodeSource}).
 */
public interface DeviceNodeSource {

    /**
     * @return empty when nothing exists at {@code path}
     * @throws CdiException when something exists there but is not a device node
     */
    Optional<DeviceNodeInfo> stat(Path path) throws CdiException, IOException;
}
