package io.alauda.dra.plugin.sharing;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The host directories of MPS control daemons, {@code <plugin dir>/mps/<id>/{pipe,shm,log}} as upstream lays them
 * out. The plugin directory is the same path on the host and in the plugin container, so these paths go into CDI
 * specs and the daemons' hostPath volumes unchanged. An ID is checked before any path is built from it, and every
 * path is checked to stay under the root, so no claim can make the plugin create or delete anything elsewhere.
 */
public final class MpsDirectories {

    /** Where the client containers find the daemon, as upstream mounts it. */
    public static final String CONTAINER_PIPE_DIR = "/tmp/nvidia-mps";
    public static final String CONTAINER_SHM_DIR = "/dev/shm";

    private final Path root;
    private final TmpfsMounter mounter;

    /**
     * @param root    {@code <plugin dir>/mps}; absolute
     * @param mounter mounts the shared-memory tmpfs; {@link TmpfsMounter#PROCESS} on a node
     */
    public MpsDirectories(Path root, TmpfsMounter mounter) {
        if (!root.isAbsolute()) {
            throw new IllegalArgumentException("MPS directory root must be absolute, got " + root);
        }
        this.root = root.normalize();
        this.mounter = mounter;
    }

    /** @param daemon its own directory; pipe, shm and log below it */
    public record Paths(Path daemon, Path pipe, Path shm, Path log) {
    }

    public Path root() {
        return root;
    }

    public Paths paths(String id) {
        Path daemon = inside(root.resolve(MpsDaemonIds.requireValid(id)));
        return new Paths(daemon, inside(daemon.resolve("pipe")), inside(daemon.resolve("shm")),
                inside(daemon.resolve("log")));
    }

    /** Creates the directories and mounts the tmpfs on {@code shm}; idempotent. */
    public Paths create(String id) throws IOException {
        Paths paths = paths(id);
        for (Path dir : new Path[]{paths.pipe(), paths.shm(), paths.log()}) {
            Files.createDirectories(dir);
            if (Files.isSymbolicLink(dir)) {
                throw new IOException(dir + " is a symbolic link; refusing to use it for an MPS daemon");
            }
        }
        if (!mounter.isMounted(paths.shm())) {
            mounter.mount(paths.shm());
        }
        return paths;
    }

    /** Unmounts the tmpfs and removes the daemon's directory; a missing directory is fine. */
    public void remove(String id) throws IOException {
        Paths paths = paths(id);
        if (!Files.exists(paths.daemon(), LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (mounter.isMounted(paths.shm())) {
            mounter.unmount(paths.shm());
        }
        deleteTree(paths.daemon());
    }

    /** IDs that have a directory, for the sweep after a crash; names that are not IDs are left alone. */
    public Set<String> ids() throws IOException {
        Set<String> ids = new TreeSet<>();
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return ids;
        }
        try (Stream<Path> children = Files.list(root)) {
            children.map(p -> p.getFileName().toString()).filter(MpsDaemonIds::isValid).forEach(ids::add);
        }
        return ids;
    }

    private Path inside(Path path) {
        Path normalized = path.normalize();
        if (!normalized.startsWith(root) || normalized.equals(root)) {
            throw new IllegalArgumentException(path + " is not inside " + root);
        }
        return normalized;
    }

    /** Does not follow links, so a link planted in the tree removes the link, never what it points to. */
    private static void deleteTree(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
