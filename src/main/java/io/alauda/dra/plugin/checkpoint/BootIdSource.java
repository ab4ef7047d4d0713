package io.alauda.dra.plugin.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The identity of the current boot of the node; prepared claims do not survive a reboot. */
@FunctionalInterface
public interface BootIdSource {

    Path PROC_BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    /** The current boot ID, or empty if it cannot be read (then stored claims are kept as they are). */
    Optional<String> currentBootId();

    static BootIdSource proc() {
        return fromFile(PROC_BOOT_ID);
    }

    static BootIdSource fromFile(Path file) {
        return () -> {
            try {
                String id = Files.readString(file, StandardCharsets.US_ASCII).trim();
                return id.isEmpty() ? Optional.empty() : Optional.of(id);
            } catch (IOException e) {
                return Optional.empty();
            }
        };
    }

    static BootIdSource fixed(String bootId) {
        return () -> Optional.of(bootId);
    }
}
