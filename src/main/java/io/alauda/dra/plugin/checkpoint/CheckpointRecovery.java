package io.alauda.dra.plugin.checkpoint;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A checkpoint file that could not be used and was moved aside; the plugin started with an empty checkpoint.
 * Whoever listens should raise an event and a metric, and rebuild prepared claims from the CDI spec files.
 *
 * @param reason  why the file was rejected
 * @param detail  the specific problem, for the event message
 * @param file    the checkpoint path
 * @param movedTo where the rejected file now is, or {@code null} if it could not be moved (it is then overwritten by
 *                the next write)
 */
public record CheckpointRecovery(Reason reason, String detail, Path file, Path movedTo) {

    public enum Reason {
        /** The file could not be read (permissions, I/O error, not a regular file). */
        UNREADABLE,
        /** Not JSON, or truncated, or not a JSON object. */
        INVALID_JSON,
        /** The stored checksum does not match the content. */
        CHECKSUM_MISMATCH,
        /** Written by a newer plugin with a schema this version does not understand (e.g. after a downgrade). */
        UNSUPPORTED_SCHEMA_VERSION,
        /** Valid JSON with a good checksum, but a required field is missing or has a wrong type or value. */
        INVALID_CONTENT
    }

    public Optional<Path> movedToPath() {
        return Optional.ofNullable(movedTo);
    }
}
