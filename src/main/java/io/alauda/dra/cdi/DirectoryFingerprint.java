package io.alauda.dra.cdi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a set of directories looked like: for each, whether it exists, which inode it is and when its entries last
 * changed. Adding, removing or renaming an entry (a driver upgrade, a library link re-pointed, a directory created)
 * changes its directory's modification time, so a result read from those directories is still right as long as the
 * fingerprint {@link #holds()}.
 *
 * <p>File systems stamp times with a coarse clock, so a change in the same tick as the reading can leave the time
 * unchanged. As git does for its index, a directory changed shortly before the reading makes the fingerprint
 * {@linkplain #trustworthy() untrustworthy}; the caller reads again next time instead of keeping the result.
 */
final class DirectoryFingerprint {

    /** Well above any file system's timestamp granularity (ext4, xfs, overlayfs: a kernel tick; FAT: 2 s). */
    static final Duration RACY_WINDOW = Duration.ofSeconds(3);

    private record State(Object fileKey, FileTime modified) {
        static final State ABSENT = new State(null, null);
    }

    private final Map<Path, State> states;
    private final boolean trustworthy;

    private DirectoryFingerprint(Map<Path, State> states, boolean trustworthy) {
        this.states = states;
        this.trustworthy = trustworthy;
    }

    /**
     * @param directories directories the result was read from, including ones that did not exist
     * @param readStart   when the reading began; a directory changed after {@code readStart - RACY_WINDOW} makes the
     *                    fingerprint untrustworthy
     */
    static DirectoryFingerprint of(Set<Path> directories, Instant readStart) {
        Map<Path, State> states = new LinkedHashMap<>();
        boolean trustworthy = true;
        Instant racyAfter = readStart.minus(RACY_WINDOW);
        for (Path dir : directories) {
            State state = stateOf(dir);
            states.put(dir, state);
            if (state.modified() == null ? state != State.ABSENT : state.modified().toInstant().isAfter(racyAfter)) {
                trustworthy = false;
            }
        }
        return new DirectoryFingerprint(Map.copyOf(states), trustworthy);
    }

    /** False when a directory changed so close to the reading that a later change might not show. */
    boolean trustworthy() {
        return trustworthy;
    }

    /** True while every directory is as it was: same existence, same inode, same modification time. */
    boolean holds() {
        for (Map.Entry<Path, State> entry : states.entrySet()) {
            if (!Objects.equals(stateOf(entry.getKey()), entry.getValue())) {
                return false;
            }
        }
        return true;
    }

    int size() {
        return states.size();
    }

    /** Follows symbolic links: a directory reached through a re-pointed link is another inode. */
    private static State stateOf(Path dir) {
        try {
            // A file where a directory was is fingerprinted the same way: its own time and inode mark a replacement.
            BasicFileAttributes attributes = Files.readAttributes(dir, BasicFileAttributes.class);
            return new State(attributes.fileKey(), attributes.lastModifiedTime());
        } catch (NoSuchFileException e) {
            return State.ABSENT;
        } catch (IOException e) {
            // Unreadable now: a state no earlier reading can equal, so the result is read again.
            return new State(new Object(), null);
        }
    }
}
