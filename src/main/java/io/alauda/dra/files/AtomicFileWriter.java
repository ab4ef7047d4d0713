package io.alauda.dra.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Replaces a file so that a reader (a container runtime watching the CDI directory, the plugin after a restart) sees
 * either the old content or the new, never a part: write a temporary file in the same directory, rename it over the
 * target. How much of that is flushed to disk is the {@link Durability} the caller asks for (by default all of it:
 * the temporary file before the rename, the directory after it). A failed write removes its temporary file and
 * leaves the target as it was.
 *
 * <p>The temporary file is {@code .<target name>.<random>.tmp}: the leading dot and the {@code .tmp} ending keep CDI
 * caches, which read only {@code *.json} and {@code *.yaml}, and kubelet's plugin watcher, which skips dot files, from
 * picking it up. It is created with {@code O_CREAT|O_EXCL} and the final mode, so it never follows a symlink and is
 * never readable by more users than the target will be. A symlink or directory at the target is refused: a rename
 * would replace a link rather than write through it, but a planted link there means something is wrong.
 *
 * <p>Depends on nothing but the JDK, so {@code discover} can use it from a bare classpath.
 */
public final class AtomicFileWriter {

    /** Writes the content into the open temporary file. Replaceable so tests can fail half-way. */
    @FunctionalInterface
    public interface ContentWriter {
        void write(FileChannel channel, ByteBuffer content) throws IOException;
    }

    /** Moves the temporary file over the target. Replaceable so tests can make the rename fail. */
    @FunctionalInterface
    public interface Renamer {
        void rename(Path temporary, Path target) throws IOException;
    }

    /**
     * The new content is in place, but the directory could not be flushed, so a power loss may still bring the old
     * file back. Callers decide whether that is a failure: the CDI store treats it as one, the checkpoint and
     * recordings only warn, because the rename has already happened and saying "not written" would be false.
     */
    public static final class DirectorySyncException extends IOException {
        DirectorySyncException(String message, IOException cause) {
            super(message, cause);
        }
    }

    /**
     * What a completed write survives. A crash of the writing process alone never loses it, whatever the level: the
     * kernel already holds the new file. The levels differ only in what a power loss (or kernel crash) leaves, and
     * each flush costs a disk round trip on the caller's path.
     */
    public enum Durability {
        /** File flushed, renamed, directory flushed: the new content survives a power loss once the write returns. */
        POWER_LOSS,
        /**
         * File flushed before the rename, directory not flushed: after a power loss the target is whole, with the
         * old content or the new. For state that is only trusted within one boot but must be readable after it.
         */
        WHOLE_AFTER_POWER_LOSS,
        /**
         * Nothing flushed: after a power loss the file may be old, empty or missing. For files that mean nothing
         * after a reboot and are removed or rewritten then (the CDI library writes specs this way).
         */
        PROCESS_CRASH
    }

    private static final String TEMP_SUFFIX = ".tmp";
    /** Earlier CDI store releases named their temporary files {@code .<target>.tmp-<random>}. */
    private static final String LEGACY_TEMP_INFIX = ".tmp-";
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * Temporary files of writes in progress in this process. {@link #removeLeftovers} skips them: only a crashed
     * writer leaves a file behind, and deleting a live one would make its rename fail.
     */
    private static final Set<Path> IN_FLIGHT = ConcurrentHashMap.newKeySet();

    private final Set<PosixFilePermission> mode;
    private final ContentWriter contentWriter;
    private final Renamer renamer;
    private final Durability durability;

    /**
     * Writes with {@link Durability#POWER_LOSS}.
     *
     * @param mode permission bits of the written file, e.g. {@code 0644}; applied regardless of the umask
     */
    public AtomicFileWriter(int mode) {
        this(permissions(mode), AtomicFileWriter::writeFully, AtomicFileWriter::renameAtomically, Durability.POWER_LOSS);
    }

    private AtomicFileWriter(Set<PosixFilePermission> mode, ContentWriter contentWriter, Renamer renamer,
                             Durability durability) {
        this.mode = mode;
        this.contentWriter = Objects.requireNonNull(contentWriter, "contentWriter");
        this.renamer = Objects.requireNonNull(renamer, "renamer");
        this.durability = Objects.requireNonNull(durability, "durability");
    }

    /** A copy that writes the content with {@code contentWriter}; for tests that make the write fail. */
    public AtomicFileWriter withContentWriter(ContentWriter contentWriter) {
        return new AtomicFileWriter(mode, contentWriter, renamer, durability);
    }

    /** A copy that renames with {@code renamer}; for tests that make the rename fail. */
    public AtomicFileWriter withRenamer(Renamer renamer) {
        return new AtomicFileWriter(mode, contentWriter, renamer, durability);
    }

    /** A copy that flushes only what {@code durability} needs. */
    public AtomicFileWriter withDurability(Durability durability) {
        return new AtomicFileWriter(mode, contentWriter, renamer, durability);
    }

    public Durability durability() {
        return durability;
    }

    /** The mode written files get, e.g. {@code rw-r--r--}. */
    public String mode() {
        return PosixFilePermissions.toString(mode);
    }

    /**
     * Atomically replaces {@code target} with {@code content}. The directory must exist.
     *
     * @throws DirectorySyncException when only the final directory flush ({@link Durability#POWER_LOSS}) failed: the
     *                                new content is in place
     * @throws IOException            otherwise, with a message naming the target and the cause; the target is
     *                                then unchanged
     */
    public void write(Path target, byte[] content) throws IOException {
        Path file = target.toAbsolutePath().normalize();
        Path dir = file.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException("cannot write " + file + ": directory " + dir
                    + " does not exist; create it or choose another path");
        }
        if (Files.isSymbolicLink(file)) {
            throw new IOException("refusing to write " + file + ": it is a symbolic link; remove it and retry");
        }
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("cannot write " + file + ": a directory is in the way");
        }
        Path temp = dir.resolve("." + file.getFileName() + "." + HexFormat.of().formatHex(randomBytes()) + TEMP_SUFFIX);
        IN_FLIGHT.add(temp);
        try {
            boolean renamed = false;
            try {
                try (FileChannel channel = FileChannel.open(temp,
                        EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                        PosixFilePermissions.asFileAttribute(mode))) {
                    contentWriter.write(channel, ByteBuffer.wrap(content));
                    if (durability != Durability.PROCESS_CRASH) {
                        channel.force(true);
                    }
                }
                // The umask may have taken bits away at creation; the mode is part of the contract (CDI runtimes
                // that run as another user must read a spec).
                Files.setPosixFilePermissions(temp, mode);
                renamer.rename(temp, file);
                renamed = true;
            } catch (IOException e) {
                throw new IOException("cannot write " + file + ": " + e, e);
            } finally {
                if (!renamed) {
                    deleteQuietly(temp);
                }
            }
        } finally {
            IN_FLIGHT.remove(temp);
        }
        if (durability != Durability.POWER_LOSS) {
            return;
        }
        try {
            syncDirectory(dir);
        } catch (IOException e) {
            throw new DirectorySyncException("wrote " + file + ", but could not flush directory " + dir
                    + " to disk (" + e + "); a power loss may undo the change", e);
        }
    }

    /** Makes renames and deletions in {@code dir} durable. */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /**
     * Deletes the temporary files of {@code target} that a writer which died mid-write left behind (those of
     * writes in progress in this process are kept). A missing directory has none.
     *
     * @return the files deleted
     * @throws IOException when the directory cannot be listed or a leftover cannot be deleted (after trying all)
     */
    public static List<Path> removeLeftovers(Path target) throws IOException {
        Path file = target.toAbsolutePath().normalize();
        String name = file.getFileName().toString();
        List<Path> candidates;
        try (Stream<Path> entries = Files.list(file.getParent())) {
            candidates = entries.sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<Path> removed = new ArrayList<>();
        IOException failure = null;
        for (Path candidate : candidates) {
            try {
                if (removeIfLeftover(candidate, name::equals)) {
                    removed.add(candidate);
                }
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return removed;
    }

    /**
     * Deletes {@code file} if it is a temporary file this class would write for a target whose name passes
     * {@code targetNames}, and no write in this process is using it. For a caller that lists a directory anyway.
     *
     * @return whether it was deleted
     */
    public static boolean removeIfLeftover(Path file, Predicate<String> targetNames) throws IOException {
        Optional<String> target = targetNameOf(file.getFileName().toString());
        if (target.isEmpty() || !targetNames.test(target.get())) {
            return false;
        }
        Path absolute = file.toAbsolutePath().normalize();
        if (IN_FLIGHT.contains(absolute) || Files.isDirectory(absolute, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        return Files.deleteIfExists(absolute);
    }

    /**
     * The target a temporary file name belongs to: {@code .<target>.<random>.tmp}, or the older
     * {@code .<target>.tmp-<random>}.
     */
    static Optional<String> targetNameOf(String name) {
        if (!name.startsWith(".")) {
            return Optional.empty();
        }
        if (name.endsWith(TEMP_SUFFIX)) {
            String middle = name.substring(1, name.length() - TEMP_SUFFIX.length());
            int dot = middle.lastIndexOf('.');
            return dot > 0 && dot + 1 < middle.length() ? Optional.of(middle.substring(0, dot)) : Optional.empty();
        }
        int legacy = name.lastIndexOf(LEGACY_TEMP_INFIX);
        if (legacy > 1 && legacy + LEGACY_TEMP_INFIX.length() < name.length()) {
            return Optional.of(name.substring(1, legacy));
        }
        return Optional.empty();
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        if (mode < 0 || mode > 0777) {
            throw new IllegalArgumentException("file mode must be permission bits between 0 and 0777, got 0"
                    + Integer.toOctalString(mode));
        }
        String symbols = "rwxrwxrwx";
        StringBuilder text = new StringBuilder();
        for (int bit = 8; bit >= 0; bit--) {
            text.append((mode & (1 << bit)) != 0 ? symbols.charAt(8 - bit) : '-');
        }
        return Set.copyOf(PosixFilePermissions.fromString(text.toString()));
    }

    private static void writeFully(FileChannel channel, ByteBuffer content) throws IOException {
        while (content.hasRemaining()) {
            channel.write(content);
        }
    }

    private static void renameAtomically(Path temporary, Path target) throws IOException {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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
