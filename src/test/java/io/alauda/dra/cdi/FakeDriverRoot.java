package io.alauda.dra.cdi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds a driver installation tree in a temporary directory. */
final class FakeDriverRoot {

    final Path root;

    FakeDriverRoot(Path root) {
        this.root = root;
    }

    FakeDriverRoot file(String relative) {
        try {
            Path path = root.resolve(relative);
            Files.createDirectories(path.getParent());
            requireInsideRoot(path.getParent(), relative);
            Files.writeString(path, relative);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    FakeDriverRoot dir(String relative) {
        try {
            Files.createDirectories(root.resolve(relative));
            requireInsideRoot(root.resolve(relative), relative);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Fails a fixture that went through one of the tree's absolute links: it would have written on the build
     * machine itself (tests run as root there).
     */
    private void requireInsideRoot(Path dir, String relative) throws IOException {
        if (!dir.toRealPath().startsWith(root.toRealPath())) {
            throw new IllegalStateException("fixture path " + relative + " leads out of " + root + " (to "
                    + dir.toRealPath() + "); link inside the tree with a relative target instead");
        }
    }

    FakeDriverRoot symlink(String relative, String target) {
        try {
            Path path = root.resolve(relative);
            Files.createDirectories(path.getParent());
            Files.createSymbolicLink(path, Path.of(target));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
