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
            Files.writeString(path, relative);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    FakeDriverRoot dir(String relative) {
        try {
            Files.createDirectories(root.resolve(relative));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
