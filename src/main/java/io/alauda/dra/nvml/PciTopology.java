package io.alauda.dra.nvml;

import java.util.Optional;

/**
 * Where a PCI device sits, from sysfs, for the standard attributes {@code resource.kubernetes.io/pcieRoot} and
 * {@code resource.kubernetes.io/numaNode}. Follows the Kubernetes helper upstream uses: {@code bus/pci/devices/<bdf>}
 * links into {@code devices/pci<domain>:<bus>/.../<bdf>}, whose first component is the root complex.
 */
public final class PciTopology {

    private final SysfsSource sysfs;

    public PciTopology(SysfsSource sysfs) {
        this.sysfs = sysfs;
    }

    /** e.g. {@code pci0000:64}; empty when the bus ID is malformed or sysfs does not lead to a root complex. */
    public Optional<String> pcieRoot(String bdf) {
        if (!PciBusIds.isBdf(bdf)) {
            return Optional.empty();
        }
        return sysfs.resolveLink(devicePath(bdf)).flatMap(target -> rootComplex(target, bdf));
    }

    private static Optional<String> rootComplex(String target, String bdf) {
        String[] parts = target.split("/");
        boolean shaped = parts.length >= 3 && parts[0].equals("devices") && parts[1].startsWith("pci")
                && parts[parts.length - 1].equals(bdf);
        return shaped ? Optional.of(parts[1]) : Optional.empty();
    }

    /** The device's NUMA node; empty when sysfs says -1 (no affinity), has no file, or holds something else. */
    public Optional<Integer> numaNode(String bdf) {
        if (!PciBusIds.isBdf(bdf)) {
            return Optional.empty();
        }
        return sysfs.readFile(devicePath(bdf) + "/numa_node").flatMap(PciTopology::nonNegativeInt);
    }

    private static Optional<Integer> nonNegativeInt(String text) {
        try {
            int node = Integer.parseInt(text.trim());
            return node < 0 ? Optional.empty() : Optional.of(node);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String devicePath(String bdf) {
        return "bus/pci/devices/" + bdf;
    }
}
