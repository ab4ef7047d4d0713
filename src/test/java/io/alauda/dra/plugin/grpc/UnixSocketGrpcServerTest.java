package io.alauda.dra.plugin.grpc;

import io.alauda.dra.plugin.proto.registration.InfoRequest;
import io.alauda.dra.plugin.proto.registration.RegistrationGrpc;
import io.grpc.BindableService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Socket-file handling of one UDS gRPC server. */
class UnixSocketGrpcServerTest {

    @TempDir
    Path tmp;

    private static List<BindableService> registrationService(Path draSocket) {
        return List.of(new RegistrationService("gpu.nvidia.com", draSocket, new RegistrationState()));
    }

    private static String getInfoName(Path socket) throws InterruptedException {
        try (UdsClient client = new UdsClient(socket)) {
            return RegistrationGrpc.newBlockingStub(client.channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getInfo(InfoRequest.getDefaultInstance()).getName();
        }
    }

    @Test
    void staleSocketFromAnEarlierRunIsReplaced() throws Exception {
        Path socket = tmp.resolve("stale.sock");
        try (ServerSocketChannel earlier = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            earlier.bind(UnixDomainSocketAddress.of(socket));
        }
        assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "closing a Java UDS server leaves its file behind");

        try (UnixSocketGrpcServer server = UnixSocketGrpcServer.start(socket, registrationService(tmp.resolve("dra.sock")))) {
            assertEquals("gpu.nvidia.com", getInfoName(socket));
        }
    }

    @Test
    void regularFileAtTheSocketPathIsRefusedAndKept() throws IOException {
        Path socket = tmp.resolve("precious.sock");
        Files.writeString(socket, "not a socket");

        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                () -> UnixSocketGrpcServer.start(socket, registrationService(tmp.resolve("dra.sock"))));

        assertTrue(e.getMessage().contains("regular file"), e.getMessage());
        assertEquals("not a socket", Files.readString(socket));
    }

    @Test
    void directoryAtTheSocketPathIsRefusedAndKept() throws IOException {
        Path socket = tmp.resolve("dir.sock");
        Files.createDirectory(socket);
        Files.writeString(socket.resolve("inside"), "x");

        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                () -> UnixSocketGrpcServer.start(socket, registrationService(tmp.resolve("dra.sock"))));

        assertTrue(e.getMessage().contains("directory"), e.getMessage());
        assertTrue(Files.exists(socket.resolve("inside")));
    }

    @Test
    void missingParentDirectoriesAreCreatedPrivateAndTheSocketIsGroupOnly() throws Exception {
        Path socket = tmp.resolve("a").resolve("b").resolve("x.sock");

        try (UnixSocketGrpcServer server = UnixSocketGrpcServer.start(socket, registrationService(tmp.resolve("dra.sock")))) {
            assertEquals(PosixFilePermissions.fromString("rwxr-x---"), Files.getPosixFilePermissions(tmp.resolve("a")));
            assertEquals(PosixFilePermissions.fromString("rwxr-x---"), Files.getPosixFilePermissions(socket.getParent()));
            assertEquals(PosixFilePermissions.fromString("rw-rw----"),
                    Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS));
            assertEquals("gpu.nvidia.com", getInfoName(socket));
        }
    }

    @Test
    void stopRemovesTheSocketFileAndIsIdempotent() throws IOException {
        Path socket = tmp.resolve("gone.sock");
        UnixSocketGrpcServer server = UnixSocketGrpcServer.start(socket, registrationService(tmp.resolve("dra.sock")));
        assertTrue(server.isRunning());

        server.close();
        server.close();

        assertFalse(server.isRunning());
        assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void socketPathTooLongForUnixSocketsIsRefusedWithTheLimit() {
        Path socket = tmp.resolve("d".repeat(120)).resolve("x.sock");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UnixSocketGrpcServer.start(socket, registrationService(tmp.resolve("dra.sock"))));

        assertTrue(e.getMessage().contains("at most 107 bytes"), e.getMessage());
        assertFalse(Files.exists(socket.getParent()), "nothing is created for a path that cannot work");
    }

    @Test
    void relativeSocketPathIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UnixSocketGrpcServer.start(Path.of("dra.sock"), registrationService(tmp.resolve("dra.sock"))));

        assertTrue(e.getMessage().contains("relative"), e.getMessage());
    }
}
