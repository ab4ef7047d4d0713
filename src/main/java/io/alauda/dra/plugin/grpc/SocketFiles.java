package io.alauda.dra.plugin.grpc;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** File-system side of a Unix domain socket: checking the path, clearing a stale socket, permissions. */
final class SocketFiles {

    /** sun_path is 108 bytes on Linux, including the terminating NUL. */
    static final int MAX_PATH_BYTES = 107;

    static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwxr-x---");
    static final Set<PosixFilePermission> SOCKET_MODE = PosixFilePermissions.fromString("rw-rw----");

    private static final Logger LOG = Logger.getLogger(SocketFiles.class);
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private SocketFiles() {
    }

    /**
     * Makes {@code socket} ready to bind: the parent directory exists (created 0750 when missing) and nothing is at the
     * path; a socket left there by an earlier run is removed.
     *
     * @throws IllegalArgumentException the path is relative or too long for a Unix socket
     * @throws FileAlreadyExistsException something other than a socket is at the path (never deleted)
     */
    static void prepareForBind(Path socket) throws IOException {
        checkUsable(socket);
        createParentDirectories(socket.getParent());
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!isSocket(socket)) {
            throw new FileAlreadyExistsException(socket.toString(), null, "it is " + describe(socket)
                    + ", not a stale socket, so it was left alone; move it away or choose another socket path");
        }
        LOG.infof("removing stale socket %s left by an earlier run", socket);
        Files.delete(socket);
    }

    static void checkUsable(Path socket) {
        if (!socket.isAbsolute()) {
            throw new IllegalArgumentException("socket path " + socket + " is relative; give an absolute path");
        }
        int length = socket.toString().getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_PATH_BYTES) {
            throw new IllegalArgumentException("socket path " + socket + " is " + length + " bytes long; a Unix socket"
                    + " path may have at most " + MAX_PATH_BYTES + " bytes, so choose a shorter directory");
        }
    }

    /** Best effort: the socket stays usable with the process umask if the file system refuses the mode. */
    static void restrictSocketMode(Path socket) {
        try {
            Files.setPosixFilePermissions(socket, SOCKET_MODE);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warnf("could not set mode 0660 on socket %s (%s); it keeps the mode the umask gave it", socket, e);
        }
    }

    /** Removes the socket file if it is (still) a socket; anything else at the path is left alone. */
    static void removeSocket(Path socket) {
        try {
            if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS) && isSocket(socket)) {
                Files.delete(socket);
            }
        } catch (IOException e) {
            LOG.warnf("could not remove socket %s: %s", socket, e);
        }
    }

    static boolean isSocket(Path path) throws IOException {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return (mode & S_IFMT) == S_IFSOCK;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // No "unix" attribute view: "other" (not file, directory or link) is the closest we can tell.
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
        }
    }

    private static void createParentDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new NotDirectoryException(dir + " (parent of a socket) exists but is not a directory");
        }
        createParentDirectories(dir.getParent());
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            if (Files.isDirectory(dir)) {
                return; // created concurrently; fine
            }
            throw e;
        }
        // Set explicitly: the mode given at creation is narrowed by the umask, which may differ between nodes.
        Files.setPosixFilePermissions(dir, DIRECTORY_MODE);
    }

    private static String describe(Path path) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attributes.isDirectory()) {
            return "a directory";
        }
        if (attributes.isRegularFile()) {
            return "a regular file";
        }
        if (attributes.isSymbolicLink()) {
            return "a symbolic link";
        }
        return "a special file";
    }
}
