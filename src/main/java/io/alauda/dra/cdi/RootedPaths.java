package io.alauda.dra.cdi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Resolves a path inside a driver root the way the host would, as if the root were {@code /}. A driver root holds
 * absolute symlinks (a merged-/usr host has {@code /lib -> usr/lib}, libraries point at {@code /usr/lib/...}) that
 * must be followed inside the root, never into this container's own filesystem; {@code ..} stops at the root.
 */
final class RootedPaths {

    /** Linux gives up after 40 links; so do we, which also ends symlink loops. */
    private static final int MAX_LINKS = 40;

    private RootedPaths() {
    }

    /**
     * @param relative a path relative to {@code root} ({@code usr/lib/libcuda.so.1}); a leading '/' is ignored
     * @return the real path relative to the root, without symlinks, or empty when it does not exist (or loops)
     */
    static Optional<String> resolve(Path root, String relative) throws IOException {
        Deque<String> pending = new ArrayDeque<>(components(relative));
        List<String> resolved = new ArrayList<>();
        int links = 0;
        while (!pending.isEmpty()) {
            String part = pending.removeFirst();
            if (part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!resolved.isEmpty()) {
                    resolved.remove(resolved.size() - 1);
                }
                continue;
            }
            resolved.add(part);
            Path local = root.resolve(String.join("/", resolved));
            if (!Files.isSymbolicLink(local)) {
                continue;
            }
            if (++links > MAX_LINKS) {
                return Optional.empty();
            }
            String target = Files.readSymbolicLink(local).toString();
            resolved.remove(resolved.size() - 1);
            if (target.startsWith("/")) {
                resolved.clear();
            }
            List<String> targetParts = components(target);
            for (int i = targetParts.size() - 1; i >= 0; i--) {
                pending.addFirst(targetParts.get(i));
            }
        }
        Path real = root.resolve(String.join("/", resolved));
        if (!Files.exists(real, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        return Optional.of(String.join("/", resolved));
    }

    private static List<String> components(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        return parts;
    }
}
