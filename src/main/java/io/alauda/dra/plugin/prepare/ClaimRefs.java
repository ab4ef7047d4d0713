package io.alauda.dra.plugin.prepare;

import io.alauda.dra.cdi.CdiException;
import io.alauda.dra.cdi.ClaimUids;
import io.alauda.dra.plugin.api.ResourceClaimRef;

import java.util.regex.Pattern;

/**
 * Checks the claim identity kubelet sends before any of it reaches a file name or a URL: the UID becomes part of the
 * CDI spec's file name, namespace and name part of the API path.
 */
final class ClaimRefs {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final int LABEL_MAX = 63;
    private static final int SUBDOMAIN_MAX = 253;

    private ClaimRefs() {
    }

    /** Prepare needs all three: the UID for files, namespace and name to read the claim. */
    static void requireValidForPrepare(ResourceClaimRef ref) throws ClaimFailure {
        requireValidUid(ref);
        if (ref.namespace().isEmpty() || ref.namespace().length() > LABEL_MAX
                || !DNS_LABEL.matcher(ref.namespace()).matches()) {
            throw invalid("claim namespace '" + Printable.of(ref.namespace()) + "' is not a valid namespace name (a DNS"
                    + " label: lower-case letters, digits and '-', at most 63 characters, starting and ending with a"
                    + " letter or digit)");
        }
        if (!isDnsSubdomain(ref.name())) {
            throw invalid("claim name '" + Printable.of(ref.name()) + "' is not a valid ResourceClaim name (a DNS"
                    + " subdomain: lower-case letters, digits, '-' and '.', at most 253 characters, each dot-separated"
                    + " part starting and ending with a letter or digit)");
        }
    }

    /** Unprepare needs only the UID, which names the files to remove. */
    static void requireValidUid(ResourceClaimRef ref) throws ClaimFailure {
        try {
            ClaimUids.requireValid(ref.uid());
        } catch (CdiException e) {
            throw invalid(e.getMessage() + "; kubelet sends the ResourceClaim's metadata.uid, so this request did not"
                    + " come from a well-behaved kubelet");
        }
    }

    static boolean isDnsSubdomain(String name) {
        if (name.isEmpty() || name.length() > SUBDOMAIN_MAX) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            // Kubernetes checks only the total length of a subdomain, not the length of each label.
            if (!DNS_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    private static ClaimFailure invalid(String message) {
        return new ClaimFailure(ClaimErrorType.INVALID_REQUEST, message);
    }
}
