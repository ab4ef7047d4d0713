package io.alauda.dra.cdi;

import java.util.Optional;

/**
 * The CDI syntax rules for kinds and device names ({@code api/producer/identifiers.go}). Each check returns the
 * problem in words, or empty when the name is valid.
 */
public final class CdiNames {

    private CdiNames() {
    }

    /** {@code <vendor>/<class>}; both parts start with a letter, end with a letter or digit, inner {@code [A-Za-z0-9_.-]}. */
    public static Optional<String> kindProblem(String kind) {
        if (kind == null || kind.isEmpty()) {
            return Optional.of("kind is missing; it must be <vendor>/<class>, e.g. k8s.gpu.nvidia.com/claim");
        }
        int slash = kind.indexOf('/');
        if (slash <= 0 || slash == kind.length() - 1) {
            return Optional.of("kind '" + kind + "' must be <vendor>/<class>, e.g. k8s.gpu.nvidia.com/claim");
        }
        Optional<String> vendor = vendorOrClassProblem("vendor", kind.substring(0, slash));
        return vendor.isPresent() ? vendor : vendorOrClassProblem("class", kind.substring(slash + 1));
    }

    /** Starts and ends with a letter or digit; inner characters letters, digits, {@code _ - . :}. */
    public static Optional<String> deviceNameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("device name is missing");
        }
        if (!isAlphaNumeric(name.charAt(0))) {
            return Optional.of("device name '" + name + "' must start with a letter or digit");
        }
        if (!isAlphaNumeric(name.charAt(name.length() - 1))) {
            return Optional.of("device name '" + name + "' must end with a letter or digit");
        }
        for (int i = 1; i < name.length() - 1; i++) {
            char c = name.charAt(i);
            if (!isAlphaNumeric(c) && c != '_' && c != '-' && c != '.' && c != ':') {
                return Optional.of("device name '" + name + "' has invalid character '" + c
                        + "'; allowed are letters, digits, '_', '-', '.', ':'");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> vendorOrClassProblem(String what, String name) {
        if (!isLetter(name.charAt(0))) {
            return Optional.of(what + " '" + name + "' must start with a letter");
        }
        if (!isAlphaNumeric(name.charAt(name.length() - 1))) {
            return Optional.of(what + " '" + name + "' must end with a letter or digit");
        }
        for (int i = 1; i < name.length() - 1; i++) {
            char c = name.charAt(i);
            if (!isAlphaNumeric(c) && c != '_' && c != '-' && c != '.') {
                return Optional.of(what + " '" + name + "' has invalid character '" + c
                        + "'; allowed are letters, digits, '_', '-', '.'");
            }
        }
        return Optional.empty();
    }

    static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isAlphaNumeric(char c) {
        return isLetter(c) || (c >= '0' && c <= '9');
    }
}
