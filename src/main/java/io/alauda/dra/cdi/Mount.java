package io.alauda.dra.cdi;

import java.util.List;

/**
 * A mount to add to the container.
 *
 * @param type left null for bind mounts; a value forces CDI 0.4.0
 */
public record Mount(String hostPath, String containerPath, String type, List<String> options) {

    public Mount {
        options = ImmutableCopies.list(options);
    }

    public static Mount bind(String hostPath, String containerPath, List<String> options) {
        return new Mount(hostPath, containerPath, null, options);
    }
}
