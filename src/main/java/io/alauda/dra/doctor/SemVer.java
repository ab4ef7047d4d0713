package io.alauda.dra.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A semantic version (semver.org 2.0.0) as DRA's {@code version} attributes and CEL's {@code semver()} hold it:
 * strict parsing (three numeric parts, no leading zeros, optional pre-release and build), precedence by semver's
 * rules (build metadata ignored). Equality is precedence equality, as Kubernetes' CEL {@code Semver} compares.
 */
public final class SemVer implements Comparable<SemVer> {

    private final long major;
    private final long minor;
    private final long patch;
    private final List<String> pre;
    private final String build;
    private final String text;

    private SemVer(long major, long minor, long patch, List<String> pre, String build, String text) {
        this.major = major;
        this.minor = minor;
        this.patch = patch;
        this.pre = pre;
        this.build = build;
        this.text = text;
    }

    /** Parses strictly; throws {@link IllegalArgumentException} naming what is wrong. */
    public static SemVer parse(String s) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("version string empty");
        }
        String rest = s;
        String build = "";
        int plus = rest.indexOf('+');
        if (plus >= 0) {
            build = rest.substring(plus + 1);
            rest = rest.substring(0, plus);
            for (String part : build.split("\\.", -1)) {
                if (part.isEmpty() || !part.chars().allMatch(SemVer::identChar)) {
                    throw new IllegalArgumentException("invalid build metadata '" + build + "' in '" + s + "'");
                }
            }
        }
        List<String> pre = List.of();
        int dash = rest.indexOf('-');
        if (dash >= 0) {
            List<String> parts = new ArrayList<>();
            for (String part : rest.substring(dash + 1).split("\\.", -1)) {
                if (part.isEmpty() || !part.chars().allMatch(SemVer::identChar)
                        || (numeric(part) && part.length() > 1 && part.charAt(0) == '0')) {
                    throw new IllegalArgumentException("invalid pre-release '" + rest.substring(dash + 1) + "' in '" + s + "'");
                }
                parts.add(part);
            }
            pre = List.copyOf(parts);
            rest = rest.substring(0, dash);
        }
        String[] nums = rest.split("\\.", -1);
        if (nums.length != 3) {
            throw new IllegalArgumentException("'" + s + "' is not MAJOR.MINOR.PATCH");
        }
        long[] v = new long[3];
        for (int i = 0; i < 3; i++) {
            if (!numeric(nums[i]) || (nums[i].length() > 1 && nums[i].charAt(0) == '0') || nums[i].length() > 18) {
                throw new IllegalArgumentException("invalid number '" + nums[i] + "' in '" + s + "'");
            }
            v[i] = Long.parseLong(nums[i]);
        }
        return new SemVer(v[0], v[1], v[2], pre, build, s);
    }

    /** Kubernetes' {@code semver(s, true)}: drops a leading 'v', fills missing minor/patch with 0, drops leading zeros. */
    public static SemVer parseNormalized(String s) {
        String t = s.startsWith("v") ? s.substring(1) : s;
        String[] parts = t.split("\\.", 3);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.length() > 1) {
                p = p.replaceFirst("^0+", "");
                if (p.isEmpty() || !Character.isDigit(p.charAt(0))) {
                    p = "0" + p;
                }
                parts[i] = p;
            }
        }
        List<String> all = new ArrayList<>(List.of(parts));
        if (all.size() < 3) {
            String last = all.get(all.size() - 1);
            if (last.contains("+") || last.contains("-")) {
                throw new IllegalArgumentException("short version cannot contain PreRelease/Build meta data");
            }
            while (all.size() < 3) {
                all.add("0");
            }
        }
        return parse(String.join(".", all));
    }

    private static boolean identChar(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
    }

    private static boolean numeric(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    public long major() {
        return major;
    }

    public long minor() {
        return minor;
    }

    public long patch() {
        return patch;
    }

    @Override
    public int compareTo(SemVer o) {
        int c = Long.compare(major, o.major);
        if (c == 0) {
            c = Long.compare(minor, o.minor);
        }
        if (c == 0) {
            c = Long.compare(patch, o.patch);
        }
        if (c != 0) {
            return Integer.signum(c);
        }
        if (pre.isEmpty() || o.pre.isEmpty()) {
            return pre.isEmpty() == o.pre.isEmpty() ? 0 : (pre.isEmpty() ? 1 : -1);
        }
        for (int i = 0; i < Math.min(pre.size(), o.pre.size()); i++) {
            String a = pre.get(i);
            String b = o.pre.get(i);
            boolean an = numeric(a);
            boolean bn = numeric(b);
            int d;
            if (an && bn) {
                d = a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
            } else if (an != bn) {
                d = an ? -1 : 1;
            } else {
                d = a.compareTo(b);
            }
            if (d != 0) {
                return Integer.signum(d);
            }
        }
        return Integer.signum(Integer.compare(pre.size(), o.pre.size()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SemVer v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(major, minor, patch, pre);
    }

    /** The text as given (build metadata included). */
    @Override
    public String toString() {
        return text;
    }
}
