package io.alauda.dra.cdi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Reads device numbers, mode and group with the JDK's {@code unix:} file attributes (Linux {@code stat}). */
public final class UnixDeviceNodeSource implements DeviceNodeSource {

    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;

    @Override
    public Optional<DeviceNodeInfo> stat(Path path) throws CdiException, IOException {
        Map<String, Object> attributes;
        try {
            attributes = Files.readAttributes(path, "unix:mode,rdev,gid");
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (UnsupportedOperationException e) {
            throw new CdiException("cannot read device numbers of " + path + ": this JVM has no 'unix' file "
                    + "attributes (run on Linux)", e);
        }
        int mode = (Integer) attributes.get("mode");
        long rdev = (Long) attributes.get("rdev");
        long gid = ((Integer) attributes.get("gid")).longValue() & 0xFFFF_FFFFL;
        String type = switch (mode & S_IFMT) {
            case S_IFCHR -> "c";
            case S_IFBLK -> "b";
            default -> throw new CdiException(path + " exists but is not a device node; check the driver root and "
                    + "the dev root (/dev of the driver)");
        };
        return Optional.of(new DeviceNodeInfo(type, major(rdev), minor(rdev), mode & 07777, gid));
    }

    /**
     * glibc's {@code gnu_dev_major}. Its {@code (unsigned int)} cast matters: without the 32-bit mask the minor's
     * high bits would leak into the major of large device numbers.
     */
    static long major(long rdev) {
        return ((rdev >>> 8) & 0xfffL) | ((rdev >>> 32) & 0xFFFF_F000L);
    }

    /** glibc's {@code gnu_dev_minor}, with the same 32-bit truncation. */
    static long minor(long rdev) {
        return (rdev & 0xffL) | ((rdev >>> 12) & 0xFFFF_FF00L);
    }
}
