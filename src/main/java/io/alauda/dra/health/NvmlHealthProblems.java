package io.alauda.dra.health;

import io.alauda.dra.nvml.NvmlEventType;

import java.time.Instant;

/** The problems the NVML health monitor reports, with messages that say what NVML said and what to do. */
final class NvmlHealthProblems {

    static final String XID_CATALOGUE = "https://docs.nvidia.com/deploy/xid-errors/";

    private NvmlHealthProblems() {
    }

    static HealthProblem xid(long xid, String gpuUuid, String where, XidPolicy policy, Instant now) {
        HealthEffect effect = policy.effect(xid);
        String seen = "NVML reported XID " + (xid == NvmlEventType.UNKNOWN_XID ? "999 (an XID NVML does not know)" : xid)
                + " on " + gpuUuid + " (" + where + "). ";
        String verdict = effect == HealthEffect.NONE
                ? "XID " + xid + " is treated as an application error (ignored XIDs: " + policy.ignoredXids()
                        + "), so the device stays schedulable; look at the workload that ran on it."
                : "New claims are not given this device. Look XID " + xid + " up in " + XID_CATALOGUE
                        + " and in the node's kernel log (dmesg | grep -i xid); reset the GPU (nvidia-smi -r -i "
                        + gpuUuid + ") or reboot the node, then restart the kubelet plugin pod on the node to clear it."
                        + " If this XID is harmless on your workloads, add it to " + XidPolicy.ADDITIONAL_XIDS_ENV + ".";
        return new HealthProblem(HealthKeys.XID, Long.toString(xid), effect, seen + verdict, now);
    }

    static HealthProblem gpuLost(String gpuUuid, String nvmlAnswer, Instant now) {
        return new HealthProblem(HealthKeys.GPU_LOST, "", HealthEffect.NO_EXECUTE, "NVML answered " + nvmlAnswer + " for "
                + gpuUuid + ": the GPU fell off the bus or needs a reset, and pods using it are evicted. Check the kernel"
                + " log (dmesg | grep -i xid, XID 79 means it fell off the bus), reset the GPU (nvidia-smi -r -i " + gpuUuid
                + ") or reboot the node; the problem clears by itself once the GPU answers NVML again.", now);
    }

    static HealthProblem unmonitored(String gpuUuid, String reason, Instant now) {
        return new HealthProblem(HealthKeys.UNMONITORED, "", HealthEffect.NONE, "NVML health events are not watched on "
                + gpuUuid + ": " + reason + ". XIDs on this GPU go unseen; it stays schedulable and is still checked for"
                + " being reachable. Check that the node runs a current NVIDIA data-center driver and that the kubelet"
                + " plugin may use NVML (it runs privileged by default); its log has NVML's answer.", now);
    }
}
