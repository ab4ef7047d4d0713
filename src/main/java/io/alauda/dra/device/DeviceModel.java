package io.alauda.dra.device;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Turns a node's inventory into the devices it publishes, with the upstream attribute and capacity names.
 *
 * <p>The PCI bus ID is published twice: as upstream HEAD's {@code resource.kubernetes.io/pciBusID} and as the
 * {@code pcieBusID} of earlier upstream releases and of the documented Alauda build, see {@link #PCIE_BUS_ID_LEGACY}.
 *
 * <p>One departure from upstream: a GPU in MIG mode is published only through its MIG devices.
 * Handing the whole GPU to a pod while MIG is on gives the pod a device with no usable compute, so it is not offered.
 */
public final class DeviceModel {

    public static final String DRIVER = "gpu.nvidia.com";
    public static final String PCI_BUS_ID = "resource.kubernetes.io/pciBusID";
    /**
     * The name upstream releases up to v25.8 (and the Alauda build the user documentation shows) published the PCI bus
     * ID under, before upstream switched to {@link #PCI_BUS_ID}. Both are published with the same value so that claims
     * and CEL selectors written for either driver keep matching.
     */
    public static final String PCIE_BUS_ID_LEGACY = "pcieBusID";
    public static final String PCIE_ROOT = "resource.kubernetes.io/pcieRoot";
    public static final String NUMA_NODE = "resource.kubernetes.io/numaNode";

    private DeviceModel() {
    }

    public static List<AllocatableDevice> devices(NodeInventory inventory) {
        List<AllocatableDevice> devices = new ArrayList<>();
        for (GpuInfo gpu : inventory.gpus()) {
            if (gpu.migEnabled()) {
                for (MigInfo mig : gpu.migDevices()) {
                    devices.add(migDevice(inventory, gpu, mig));
                }
            } else {
                devices.add(gpuDevice(inventory, gpu));
            }
        }
        devices.sort(Comparator.comparing(AllocatableDevice::name));
        return List.copyOf(devices);
    }

    static AllocatableDevice gpuDevice(NodeInventory inventory, GpuInfo gpu) {
        var attributes = commonAttributes(inventory, gpu);
        attributes.put("type", AttributeValue.string(DeviceType.GPU.value()));
        attributes.put("uuid", AttributeValue.string(gpu.uuid()));
        var capacities = new TreeMap<String, Long>();
        if (gpu.memoryBytes() != null) {
            capacities.put("memory", gpu.memoryBytes());
        }
        return new AllocatableDevice(DeviceNames.gpu(gpu.minor()), DeviceType.GPU, attributes, capacities, gpu, null);
    }

    static AllocatableDevice migDevice(NodeInventory inventory, GpuInfo parent, MigInfo mig) {
        var attributes = commonAttributes(inventory, parent);
        attributes.put("type", AttributeValue.string(DeviceType.MIG.value()));
        attributes.put("uuid", AttributeValue.string(mig.uuid()));
        attributes.put("parentUUID", AttributeValue.string(parent.uuid()));
        attributes.put("profile", AttributeValue.string(mig.profile().name()));
        MigProfile p = mig.profile();
        var capacities = new TreeMap<String, Long>();
        capacities.put("multiprocessors", (long) p.multiprocessors());
        capacities.put("copyEngines", (long) p.copyEngines());
        capacities.put("decoders", (long) p.decoders());
        capacities.put("encoders", (long) p.encoders());
        capacities.put("jpegEngines", (long) p.jpegEngines());
        capacities.put("ofaEngines", (long) p.ofaEngines());
        capacities.put("memory", p.memoryBytes());
        for (int slice = mig.placementStart(); slice < mig.placementStart() + mig.placementSize(); slice++) {
            capacities.put("memorySlice" + slice, 1L);
        }
        String name = DeviceNames.mig(parent.minor(), p.name(), p.giProfileId(), mig.placementStart());
        return new AllocatableDevice(name, DeviceType.MIG, attributes, capacities, parent, mig);
    }

    private static TreeMap<String, AttributeValue> commonAttributes(NodeInventory inventory, GpuInfo gpu) {
        var attributes = new TreeMap<String, AttributeValue>();
        attributes.put("productName", AttributeValue.string(gpu.productName()));
        if (gpu.brand() != null) {
            attributes.put("brand", AttributeValue.string(gpu.brand()));
        }
        if (gpu.architecture() != null) {
            attributes.put("architecture", AttributeValue.string(gpu.architecture()));
        }
        if (gpu.cudaComputeCapability() != null) {
            attributes.put("cudaComputeCapability", AttributeValue.version(Semver.normalize(gpu.cudaComputeCapability())));
        }
        attributes.put("driverVersion", AttributeValue.version(Semver.normalize(inventory.driverVersion())));
        if (inventory.cudaDriverVersion() > 0) {
            attributes.put("cudaDriverVersion", AttributeValue.version(Semver.fromCudaDriverInteger(inventory.cudaDriverVersion())));
        }
        attributes.put(PCI_BUS_ID, AttributeValue.string(gpu.pciBusId()));
        attributes.put(PCIE_BUS_ID_LEGACY, AttributeValue.string(gpu.pciBusId()));
        if (gpu.pcieRoot() != null) {
            attributes.put(PCIE_ROOT, AttributeValue.string(gpu.pcieRoot()));
        }
        if (gpu.numaNode() != null && gpu.numaNode() >= 0) {
            attributes.put(NUMA_NODE, AttributeValue.integer(gpu.numaNode()));
        }
        return attributes;
    }
}
