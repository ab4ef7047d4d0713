package io.alauda.dra.plugin.sharing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Mounts the tmpfs an MPS daemon and its clients share as {@code /dev/shm}, as upstream does ({@code mount -t tmpfs},
 * size half the node's memory). The plugin directory is mounted with bidirectional propagation, so the mount is
 * seen on the host and by the containers that bind it.
 */
public interface TmpfsMounter {

    boolean isMounted(Path dir) throws IOException;

    void mount(Path dir) throws IOException;

    void unmount(Path dir) throws IOException;

    TmpfsMounter PROCESS = new TmpfsMounter() {
        @Override
        public boolean isMounted(Path dir) throws IOException {
            String target = dir.toAbsolutePath().normalize().toString();
            return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                    .map(line -> line.split(" "))
                    .anyMatch(f -> f.length > 1 && f[1].equals(target));
        }

        @Override
        public void mount(Path dir) throws IOException {
            run(List.of("mount", "-t", "tmpfs", "-o", "rw,nosuid,nodev,noexec,relatime,size=" + shmSize(), "shm",
                    dir.toString()));
        }

        @Override
        public void unmount(Path dir) throws IOException {
            run(List.of("umount", dir.toString()));
        }

        private void run(List<String> command) throws IOException {
            CommandRunner.Result result = CommandRunner.PROCESS.run(command, Map.of(), Duration.ofSeconds(30));
            if (result.exitCode() != 0) {
                throw new IOException(String.join(" ", command) + " failed with exit code " + result.exitCode() + ": "
                        + result.output().strip());
            }
        }
    };

    /** Half of MemTotal, as upstream sizes it; 65536k when /proc/meminfo cannot be read. */
    static String shmSize() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    String[] parts = line.substring("MemTotal:".length()).trim().split("\\s+");
                    long kib = Long.parseLong(parts[0]);
                    return (kib / 2) + "k";
                }
            }
        } catch (IOException | RuntimeException e) {
            // Fall through to upstream's fallback.
        }
        return "65536k";
    }
}
