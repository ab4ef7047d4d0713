package io.alauda.dra.plugin.grpc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Start and stop order of the two sockets, as kubelet needs it. */
class KubeletPluginServersTest {

    @TempDir
    Path tmp;

    /** One lifecycle event and which socket files existed at that moment. */
    record Seen(String event, SocketRole role, boolean draFileExists, boolean registrationFileExists) {
    }

    private static final class RecordingListener implements SocketLifecycleListener {
        final List<Seen> seen = new CopyOnWriteArrayList<>();
        private final KubeletPluginPaths paths;

        RecordingListener(KubeletPluginPaths paths) {
            this.paths = paths;
        }

        @Override
        public void onServing(SocketRole role, Path socket) {
            seen.add(snapshot("serving", role));
        }

        @Override
        public void onRemoved(SocketRole role, Path socket) {
            seen.add(snapshot("removed", role));
        }

        private Seen snapshot(String event, SocketRole role) {
            return new Seen(event, role, Files.exists(paths.draSocket(), LinkOption.NOFOLLOW_LINKS),
                    Files.exists(paths.registrationSocket(), LinkOption.NOFOLLOW_LINKS));
        }
    }

    @Test
    void draSocketComesUpFirstAndGoesDownLast() throws IOException {
        KubeletPluginPaths paths = new KubeletPluginPaths(tmp.resolve("plugins"), tmp.resolve("registry"));
        RecordingListener listener = new RecordingListener(paths);

        KubeletPluginServers servers = KubeletPluginServers.start(paths, new FakeDraHandler(), new RegistrationState(), listener);
        servers.close();

        assertEquals(List.of(
                new Seen("serving", SocketRole.DRA, true, false),
                new Seen("serving", SocketRole.REGISTRATION, true, true),
                new Seen("removed", SocketRole.REGISTRATION, true, false),
                new Seen("removed", SocketRole.DRA, false, false)), listener.seen);
    }

    @Test
    void failedRegistrationBindLeavesNoDraSocketBehind() throws IOException {
        KubeletPluginPaths paths = new KubeletPluginPaths(tmp.resolve("plugins"), tmp.resolve("registry"));
        Files.createDirectories(paths.registrarDir());
        Files.writeString(paths.registrationSocket(), "someone's file");
        RecordingListener listener = new RecordingListener(paths);

        assertThrows(FileAlreadyExistsException.class,
                () -> KubeletPluginServers.start(paths, new FakeDraHandler(), new RegistrationState(), listener));

        assertFalse(Files.exists(paths.draSocket(), LinkOption.NOFOLLOW_LINKS));
        assertEquals(List.of(
                new Seen("serving", SocketRole.DRA, true, true),
                new Seen("removed", SocketRole.DRA, false, true)), listener.seen);
    }

    @Test
    void pathsDeriveTheKubeletLayout() {
        KubeletPluginPaths paths = KubeletPluginPaths.defaults();

        assertEquals(Path.of("/var/lib/kubelet/plugins/gpu.nvidia.com/dra.sock"), paths.draSocket());
        assertEquals(Path.of("/var/lib/kubelet/plugins_registry/gpu.nvidia.com-reg.sock"), paths.registrationSocket());
        assertEquals(Path.of("/var/lib/kubelet/plugins/gpu.nvidia.com/checkpoint.json"), paths.checkpointFile());
    }

    @Test
    void relativeDirectoriesAreRefusedNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new KubeletPluginPaths(Path.of("/var/lib/kubelet/plugins"), Path.of("plugins_registry")));

        assertEquals(true, e.getMessage().startsWith("registrarDir"), e.getMessage());
    }
}
