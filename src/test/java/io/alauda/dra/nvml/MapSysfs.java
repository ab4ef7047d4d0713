package io.alauda.dra.nvml;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A sysfs given as a map of relative path to resolved link target or file content. */
final class MapSysfs implements SysfsSource {

    private final Map<String, String> entries = new HashMap<>();

    /** Adds the link and numa_node file for one PCI device under a root complex. */
    MapSysfs device(String bdf, String linkTarget, String numaNode) {
        entries.put("bus/pci/devices/" + bdf, linkTarget);
        if (numaNode != null) {
            entries.put("bus/pci/devices/" + bdf + "/numa_node", numaNode);
        }
        return this;
    }

    @Override
    public Optional<String> resolveLink(String path) {
        return Optional.ofNullable(entries.get(path));
    }

    @Override
    public Optional<String> readFile(String path) {
        return Optional.ofNullable(entries.get(path));
    }
}
