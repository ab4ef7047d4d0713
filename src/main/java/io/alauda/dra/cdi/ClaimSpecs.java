package io.alauda.dra.cdi;

import java.util.Optional;

/**
 * Names for the per-claim CDI specs, as the upstream plugin uses them so that tools and docs carry over: kind
 * {@code k8s.gpu.nvidia.com/claim}, one CDI device {@code <claimUID>-<device name>} per allocated device, one file
 * {@code k8s.gpu.nvidia.com-claim_<claimUID>.json} per claim (CDI's "transient spec" naming).
 */
public final class ClaimSpecs {

    public static final String VENDOR = "k8s.gpu.nvidia.com";
    public static final String CLASS = "claim";
    public static final String KIND = VENDOR + "/" + CLASS;
    static final String FILE_PREFIX = VENDOR + "-" + CLASS + "_";
    static final String FILE_SUFFIX = ".json";

    private ClaimSpecs() {
    }

    /** The name of a claim's device inside its spec, e.g. {@code 0b9c4e8e-...-gpu-0}. */
    public static String cdiDeviceName(String claimUid, String deviceName) throws CdiException {
        ClaimUids.requireValid(claimUid);
        String name = claimUid + "-" + deviceName;
        Optional<String> problem = CdiNames.deviceNameProblem(name);
        if (deviceName == null || deviceName.isEmpty() || problem.isPresent()) {
            throw new CdiException("device name '" + (deviceName == null ? "" : ClaimUids.printable(deviceName))
                    + "' cannot be part of a CDI device name: " + problem.orElse("it is empty"));
        }
        return name;
    }

    /** The fully qualified CDI device ID the kubelet passes to the runtime, e.g. {@code k8s.gpu.nvidia.com/claim=<uid>-gpu-0}. */
    public static String cdiDeviceId(String claimUid, String deviceName) throws CdiException {
        return KIND + "=" + cdiDeviceName(claimUid, deviceName);
    }

    public static String fileName(String claimUid) throws CdiException {
        return FILE_PREFIX + ClaimUids.requireValid(claimUid) + FILE_SUFFIX;
    }

    /** The claim UID a spec file name stands for, if the name is one of ours. */
    public static Optional<String> claimUidOf(String fileName) {
        if (!fileName.startsWith(FILE_PREFIX) || !fileName.endsWith(FILE_SUFFIX)) {
            return Optional.empty();
        }
        String uid = fileName.substring(FILE_PREFIX.length(), fileName.length() - FILE_SUFFIX.length());
        return ClaimUids.isValid(uid) ? Optional.of(uid) : Optional.empty();
    }
}
