package io.alauda.dra.plugin.checkpoint;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a file so that, after a crash at any point, the path holds either the complete old content or the
 * complete new content: write a temporary file in the same directory, fsync it, rename it over the target, fsync the
 * directory. A failed write removes its temporary file and leaves the target untouched.
 */
public final class AtomicFileWriter {

    /** Writes {@code data} into the open temporary file; replaceable in tests to fail half-way. */
    @FunctionalInterface
    interface ContentWriter {
        void write(FileChannel channel, ByteBuffer data) throws IOException;
    }

    private static final Logger LOG = Logger.getLogger(AtomicFileWriter.class);
    private static final String TEMP_SUFFIX = ".tmp";

    private final ContentWriter contentWriter;

    public AtomicFileWriter() {
        this(AtomicFileWriter::writeFully);
    }

    AtomicFileWriter(ContentWriter contentWriter) {
        this.contentWriter = contentWriter;
    }

    /** Atomically replaces {@code target} with {@code content}; its directory must exist. New files are mode 0600. */
    public void write(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        // A leading dot keeps kubelet's plugin watcher and CDI scanners from picking the temporary file up.
        Path temp = Files.createTempFile(dir, tempPrefix(target), TEMP_SUFFIX);
        boolean renamed = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                contentWriter.write(channel, ByteBuffer.wrap(content));
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            renamed = true;
        } finally {
            if (!renamed) {
                deleteQuietly(temp);
            }
        }
        fsyncDirectory(dir);
    }

    /** Deletes temporary files an earlier process left behind when it died mid-write. */
    public static void removeLeftovers(Path target) {
        Path dir = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, tempPrefix(target) + "*" + TEMP_SUFFIX)) {
            for (Path leftover : leftovers) {
                LOG.infof("removing %s, left by an interrupted write", leftover);
                deleteQuietly(leftover);
            }
        } catch (IOException e) {
            LOG.warnf("could not look for leftover temporary files in %s: %s", dir, e);
        }
    }

    /** Makes a rename in {@code dir} durable. */
    static void fsyncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Linux allows this; a platform that does not cannot give the guarantee, so say so rather than fail.
            LOG.warnf("could not fsync directory %s (%s); the rename may not survive a power loss", dir, e);
        }
    }

    private static String tempPrefix(Path target) {
        return "." + target.getFileName() + ".";
    }

    private static void writeFully(FileChannel channel, ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            channel.write(data);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warnf("could not delete temporary file %s: %s", path, e);
        }
    }
}
