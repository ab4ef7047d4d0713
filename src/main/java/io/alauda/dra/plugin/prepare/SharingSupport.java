package io.alauda.dra.plugin.prepare;

import io.alauda.dra.plugin.sharing.GpuSharingControl;
import io.alauda.dra.plugin.sharing.MpsDaemonControl;
import io.alauda.dra.plugin.sharing.MpsDirectories;
import io.alauda.dra.plugin.sharing.TmpfsMounter;
import io.alauda.dra.slice.Backoff;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * GPU sharing on this node. What undoes sharing is given even when the gates are off, so that claims prepared
 * before a gate was turned off are still undone when they go.
 *
 * @param gates           the strategies the NvidiaDraDriver's feature gates allow
 * @param gpus            changes compute mode and time-slice
 * @param mps             starts and stops MPS control daemons
 * @param mpsDirs         their host directories
 * @param mpsReadyTimeout how long a prepare waits for a new daemon before it fails the claim (kubelet retries and the
 *                        wait goes on where it left off, since the daemon keeps starting)
 * @param mpsReadyPolls   the waits between readiness checks
 */
public record SharingSupport(SharingGates gates, GpuSharingControl gpus, MpsDaemonControl mps, MpsDirectories mpsDirs,
                             Duration mpsReadyTimeout, Backoff mpsReadyPolls) {

    /**
     * Upstream waits about 15 s (4 steps from 1 s, doubling). Longer helps a daemon pod that is slow to start, but
     * must stay below the kubelet's timeout for a NodePrepareResources call (45 s), or the kubelet gives up first.
     */
    public static final Duration DEFAULT_MPS_READY_TIMEOUT = Duration.ofSeconds(30);
    public static final Backoff DEFAULT_MPS_READY_POLLS = Backoff.exponential(Duration.ofMillis(500),
            Duration.ofSeconds(5), 0.2);

    /** No sharing: every claim that asks for it is refused, naming the gate to turn on. */
    public static final SharingSupport NONE = new SharingSupport(SharingGates.NONE, GpuSharingControl.NONE,
            MpsDaemonControl.NONE, new MpsDirectories(Path.of("/nonexistent/mps"), noMounts()),
            DEFAULT_MPS_READY_TIMEOUT, DEFAULT_MPS_READY_POLLS);

    public SharingSupport {
        Objects.requireNonNull(gates, "gates");
        Objects.requireNonNull(gpus, "gpus");
        Objects.requireNonNull(mps, "mps");
        Objects.requireNonNull(mpsDirs, "mpsDirs");
        Objects.requireNonNull(mpsReadyTimeout, "mpsReadyTimeout");
        Objects.requireNonNull(mpsReadyPolls, "mpsReadyPolls");
    }

    public SharingSupport withGates(SharingGates newGates) {
        return new SharingSupport(newGates, gpus, mps, mpsDirs, mpsReadyTimeout, mpsReadyPolls);
    }

    private static TmpfsMounter noMounts() {
        return new TmpfsMounter() {
            @Override
            public boolean isMounted(Path dir) {
                return false;
            }

            @Override
            public void mount(Path dir) throws java.io.IOException {
                throw new java.io.IOException("MPS is not available on this node");
            }

            @Override
            public void unmount(Path dir) {
                // Nothing was mounted.
            }
        };
    }
}
