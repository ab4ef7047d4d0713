package io.alauda.dra.nvml;

/**
 * The fields of {@code nvmlPciInfo_t} (as filled by {@code nvmlDeviceGetPciInfo_v3}) that discovery uses.
 *
 * @param busId       e.g. {@code 00000000:65:00.0}: eight hex digits of domain, upper case, as NVML prints it
 * @param domain      PCI domain
 * @param bus         PCI bus
 * @param device      device number on the bus
 * @param pciDeviceId device ID in the upper 16 bits, vendor ID (0x10de) in the lower
 */
public record PciInfo(String busId, int domain, int bus, int device, int pciDeviceId) {
}
