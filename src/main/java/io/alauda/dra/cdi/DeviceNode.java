package io.alauda.dra.cdi;

/**
 * A device node to create in the container. Null fields are unset and left out of the file; the runtime then fills
 * type and numbers from the node at {@code hostPath} (or {@code path}) on the host.
 *
 * @param path        where the node appears in the container
 * @param hostPath    where it is on the host, only when that differs from {@code path} (forces CDI 0.5.0)
 * @param type        {@code c}, {@code b}, {@code u} or {@code p}
 * @param fileMode    permission bits only (e.g. 438 for 0666), as CDI's Go library encodes them
 * @param permissions device cgroup access, a subset of {@code rwm}
 */
public record DeviceNode(
        String path,
        String hostPath,
        String type,
        Long major,
        Long minor,
        Integer fileMode,
        String permissions,
        Long uid,
        Long gid) {

    public static DeviceNode at(String path) {
        return new DeviceNode(path, null, null, null, null, null, null, null, null);
    }
}
