package io.alauda.dra.plugin.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The checkpoint's atomic writer as it was before {@link io.alauda.dra.files.AtomicFileWriter} replaced it; kept,
 * delegating, only because it was public and code on a parallel branch may call it. New code uses the
 * {@code files} one.
 *
 * @deprecated use {@link io.alauda.dra.files.AtomicFileWriter}; this class goes once no caller is left
 */
@Deprecated(forRemoval = true)
public final class AtomicFileWriter {

    private final io.alauda.dra.files.AtomicFileWriter delegate =
            new io.alauda.dra.files.AtomicFileWriter(CheckpointStore.FILE_MODE);

    public AtomicFileWriter() {
    }

    /** Atomically replaces {@code target} with {@code content}; its directory must exist. New files are mode 0600. */
    public void write(Path target, byte[] content) throws IOException {
        CheckpointStore.write(delegate, target, content);
    }

    /** Deletes temporary files an earlier process left behind when it died mid-write. */
    public static void removeLeftovers(Path target) {
        CheckpointStore.removeLeftovers(target);
    }
}
