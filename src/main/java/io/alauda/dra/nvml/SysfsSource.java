package io.alauda.dra.nvml;

import java.util.Optional;

/**
 * The two kinds of sysfs read discovery makes, by path relative to the sysfs root (e.g.
 * {@code bus/pci/devices/0000:65:00.0}). Empty means "not there", which leaves the attribute out.
 */
public interface SysfsSource {

    /** The target of a symbolic link, resolved and made relative to the sysfs root. */
    Optional<String> resolveLink(String path);

    /** The content of a small file. */
    Optional<String> readFile(String path);
}
