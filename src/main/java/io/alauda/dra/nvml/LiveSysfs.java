package io.alauda.dra.nvml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads a sysfs tree at a configurable root: {@code /sys} on a node, {@code /host/sys} in a container that mounts the
 * host's, a temporary tree in tests. Callers pass only paths built from validated bus IDs ({@link PciBusIds#isBdf}).
 */
public final class LiveSysfs implements SysfsSource {

    private final Path root;

    public LiveSysfs(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public Optional<String> resolveLink(String path) {
        Path link = root.resolve(path);
        try {
            Path target = Files.readSymbolicLink(link);
            Path absolute = (target.isAbsolute() ? target : link.getParent().resolve(target)).normalize();
            if (!absolute.startsWith(root)) {
                return Optional.empty();
            }
            return Optional.of(root.relativize(absolute).toString().replace('\\', '/'));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<String> readFile(String path) {
        try {
            return Optional.of(Files.readString(root.resolve(path), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
