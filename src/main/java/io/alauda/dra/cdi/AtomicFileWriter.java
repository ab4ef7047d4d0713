package io.alauda.dra.cdi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * Replaces a file so that a reader (the container runtime watching the CDI directory) sees either the old content
 * or the new, never a partial file, and so that the new content survives a crash once {@link #write} returns:
 * write a temporary file in the same directory, fsync it, rename it over the target, fsync the directory.
 *
 * <p>The temporary name starts with a dot and does not end in {@code .json}, so CDI caches ignore it. It is created
 * with {@code O_CREAT|O_EXCL}, which never follows a symlink; the target itself is refused when it is a symlink
 * (and a rename would replace such a link, never write through it).
 */
final class AtomicFileWriter {

    static final Set<PosixFilePermission> MODE_0644 = PosixFilePermissions.fromString("rw-r--r--");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The rename step, replaceable so tests can make it fail. */
    interface Mover {
        void move(Path from, Path to) throws IOException;
    }

    private final Mover mover;

    AtomicFileWriter() {
        this((from, to) -> Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING));
    }

    AtomicFileWriter(Mover mover) {
        this.mover = mover;
    }

    void write(Path target, byte[] content) throws CdiException {
        Path dir = target.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CdiException("cannot create directory " + dir + ": " + e, e);
        }
        if (Files.isSymbolicLink(target)) {
            throw new CdiException("refusing to write " + target + ": it is a symbolic link; remove it and retry");
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new CdiException("cannot write " + target + ": a directory is in the way");
        }
        Path temp = dir.resolve("." + target.getFileName() + ".tmp-" + HexFormat.of().formatHex(randomBytes()));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            // Set after creation: the process umask could otherwise take bits away.
            Files.setPosixFilePermissions(temp, MODE_0644);
            mover.move(temp, target);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new CdiException("cannot write " + target + ": " + e, e);
        }
        syncDirectory(dir);
    }

    static void syncDirectory(Path dir) throws CdiException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            throw new CdiException("cannot flush directory " + dir + " to disk: " + e, e);
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // The original failure is what the caller needs to hear about.
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
