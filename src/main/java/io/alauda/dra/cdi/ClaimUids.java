package io.alauda.dra.cdi;

import java.util.regex.Pattern;

/**
 * Claim UIDs come from the API server and end up in file names and CDI device names, so each one is checked before
 * it is used: a UID must look like a Kubernetes UID (lower-case RFC 4122) or at least a DNS label. Anything with
 * {@code /}, {@code ..}, upper case or other characters is refused, which keeps every path we build inside the CDI
 * directory and every device name valid CDI.
 */
public final class ClaimUids {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final int MAX_LENGTH = 63;

    private ClaimUids() {
    }

    public static String requireValid(String uid) throws CdiException {
        if (uid == null || uid.isEmpty()) {
            throw new CdiException("claim UID is missing");
        }
        if (uid.length() > MAX_LENGTH || !DNS_LABEL.matcher(uid).matches()) {
            throw new CdiException("claim UID '" + printable(uid) + "' is not valid: it must be lower-case letters, "
                    + "digits and '-' (a Kubernetes UID such as 0b9c4e8e-5a41-4bd4-9d6a-1e7c3f2a7b10), at most "
                    + MAX_LENGTH + " characters, starting and ending with a letter or digit");
        }
        return uid;
    }

    public static boolean isValid(String uid) {
        return uid != null && uid.length() <= MAX_LENGTH && DNS_LABEL.matcher(uid).matches();
    }

    /** Keeps an attacker's control characters out of our log lines and error messages. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 128; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return s.length() > 128 ? sb + "..." : sb.toString();
    }
}
