package io.alauda.dra.cdi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnixDeviceNodeSourceTest {

    @TempDir
    Path tmp;

    @Test
    void decodesSmallDeviceNumbers() {
        // makedev(195, 255) in glibc's encoding: minor low byte, major in bits 8-19.
        long rdev = (195L << 8) | 255L;

        assertEquals(195, UnixDeviceNodeSource.major(rdev));
        assertEquals(255, UnixDeviceNodeSource.minor(rdev));
    }

    @Test
    void decodesLargeDeviceNumbers() {
        // major 4100 = 0x1004: low 12 bits (0x004) at bits 8-19, the rest (0x1000) from bit 32 up;
        // minor 70000 = 0x11170: low byte (0x70) at bits 0-7, the rest (0x11100) shifted left by 12.
        long rdev = (0x004L << 8) | (0x1000L << 32) | 0x70L | (0x11100L << 12);

        assertEquals(4100, UnixDeviceNodeSource.major(rdev));
        assertEquals(70000, UnixDeviceNodeSource.minor(rdev));
    }

    @Test
    void readsARealCharacterDevice() throws Exception {
        // /dev/null is character device 1:3, mode 0666, group root on every Linux system.
        Optional<DeviceNodeInfo> info = new UnixDeviceNodeSource().stat(Path.of("/dev/null"));

        assertEquals(Optional.of(new DeviceNodeInfo("c", 1, 3, 0666, 0)), info);
    }

    @Test
    void aMissingNodeIsEmpty() throws Exception {
        assertEquals(Optional.empty(), new UnixDeviceNodeSource().stat(tmp.resolve("nvidia0")));
    }

    @Test
    void aRegularFileIsAnErrorNamingThePath() throws Exception {
        Path file = Files.writeString(tmp.resolve("nvidiactl"), "not a device");

        CdiException e = assertThrows(CdiException.class, () -> new UnixDeviceNodeSource().stat(file));
        assertTrue(e.getMessage().contains(file + " exists but is not a device node"), e.getMessage());
    }
}
