package io.alauda.dra.cdi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Reads the NVIDIA capability files under {@code /proc}: a MIG GPU or compute instance is opened through a
 * {@code /dev/nvidia-caps/nvidia-cap<N>} node whose minor and mode the driver publishes in an {@code access} file
 * ({@code DeviceFileMinor: 21}, {@code DeviceFileMode: 292}), and whose major is the {@code nvidia-caps} entry of
 * {@code /proc/devices}.
 */
final class NvidiaCapabilities {

    static final String CAPS_DEVICE_DIR = "/dev/nvidia-caps";

    private final Path procRoot;

    NvidiaCapabilities(Path procRoot) {
        this.procRoot = procRoot;
    }

    /** The node granting access to MIG GPU instance {@code gi} on the GPU with minor {@code gpuMinor}. */
    DeviceNode gpuInstanceNode(int gpuMinor, int gi) throws CdiException {
        return capNode(accessFile(gpuMinor).resolve("gi" + gi).resolve("access"));
    }

    /** The node granting access to compute instance {@code ci} inside GPU instance {@code gi}. */
    DeviceNode computeInstanceNode(int gpuMinor, int gi, int ci) throws CdiException {
        return capNode(accessFile(gpuMinor).resolve("gi" + gi).resolve("ci" + ci).resolve("access"));
    }

    private Path accessFile(int gpuMinor) {
        return procRoot.resolve("driver/nvidia/capabilities").resolve("gpu" + gpuMinor).resolve("mig");
    }

    private DeviceNode capNode(Path accessFile) throws CdiException {
        String content = read(accessFile, "MIG capability file");
        long minor = field(content, "DeviceFileMinor", accessFile);
        long mode = field(content, "DeviceFileMode", accessFile);
        if (mode < 0 || mode > 07777) {
            throw new CdiException("DeviceFileMode " + mode + " in " + accessFile + " is not a file mode");
        }
        return new DeviceNode(CAPS_DEVICE_DIR + "/nvidia-cap" + minor, null, "c", capsMajor(), minor,
                (int) mode, null, null, null);
    }

    private long capsMajor() throws CdiException {
        Path devices = procRoot.resolve("devices");
        String content = read(devices, "device list");
        boolean character = false;
        for (String line : content.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.endsWith(":")) {
                character = trimmed.equals("Character devices:");
                continue;
            }
            String[] parts = trimmed.split("\\s+");
            if (character && parts.length == 2 && parts[1].equals("nvidia-caps")) {
                return Long.parseLong(parts[0]);
            }
        }
        throw new CdiException("no 'nvidia-caps' character device in " + devices
                + "; the NVIDIA driver must be loaded with MIG support for MIG devices to be usable");
    }

    private static long field(String content, String name, Path file) throws CdiException {
        OptionalLong value = OptionalLong.empty();
        for (String line : content.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(name)) {
                try {
                    value = OptionalLong.of(Long.parseLong(line.substring(colon + 1).trim()));
                } catch (NumberFormatException e) {
                    throw new CdiException(name + " in " + file + " is not a number: '" + line.trim() + "'");
                }
            }
        }
        if (value.isEmpty() || value.getAsLong() < 0) {
            throw new CdiException(file + " has no " + name + " line");
        }
        return value.getAsLong();
    }

    private static String read(Path file, String what) throws CdiException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CdiException(what + " " + file + " does not exist; is the MIG device still there (and /proc "
                    + "the host's)?");
        } catch (IOException e) {
            throw new CdiException("cannot read " + what + " " + file + ": " + e, e);
        }
    }
}
