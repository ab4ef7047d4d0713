package io.alauda.dra.health;

/**
 * Something that watches devices and writes what it finds on the board: NVML events, a reachability check. Started
 * once by the kubelet plugin; {@link #close()} stops it promptly (on SIGTERM the role waits for it).
 */
public interface HealthMonitor extends AutoCloseable {

    /** Starts watching on a thread of its own and returns at once. */
    void start(DeviceHealthBoard board);

    @Override
    void close();
}
