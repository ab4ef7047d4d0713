package io.alauda.dra.plugin.sharing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Daemon IDs as upstream derives them: {@code <claim UID>-<first 5 hex of sha256 of the comma-joined sorted device
 * UUIDs>}. The ID becomes a directory name and part of a Deployment name, so only IDs of that exact shape pass.
 */
public final class MpsDaemonIds {

    /**
     * A claim UID (a DNS label, 36 characters for the UUIDs Kubernetes writes, at most 38 here) and the hash: no dot
     * or slash can be in it, and {@code mps-control-daemon-<id>} stays a valid label value (63 characters).
     */
    private static final Pattern ID = Pattern.compile("[a-z0-9](?:[-a-z0-9]{0,36}[a-z0-9])?-[0-9a-f]{5}");

    private MpsDaemonIds() {
    }

    /** @throws IllegalArgumentException when the claim UID cannot name a daemon (not a DNS label, too long) */
    public static String of(String claimUid, List<String> sortedDeviceUuids) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(String.join(",", sortedDeviceUuids).getBytes(StandardCharsets.UTF_8));
            return requireValid(claimUid + "-" + HexFormat.of().formatHex(hash).substring(0, 5));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public static String requireValid(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("'" + id + "' is not an MPS daemon ID (<claim UID>-<5 hex digits>)");
        }
        return id;
    }
}
