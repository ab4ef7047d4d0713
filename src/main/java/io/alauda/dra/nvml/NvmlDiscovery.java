package io.alauda.dra.nvml;

import io.alauda.dra.device.DeviceNames;
import io.alauda.dra.device.GpuInfo;
import io.alauda.dra.device.MigInfo;
import io.alauda.dra.device.MigProfile;
import io.alauda.dra.device.NodeInventory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Asks NVML (and sysfs) what the node has and fills the {@link NodeInventory} the rest of the driver works from.
 *
 * <p>Rules, following upstream: an optional fact NVML cannot give (NOT_SUPPORTED, or a library too old to have the
 * call) is left out, never guessed; any other error fails discovery with a message naming the GPU and the call. The
 * minor number, UUID, name and PCI bus ID are required. A GPU in MIG mode contributes the MIG devices that exist now;
 * those upstream would not publish either (a compute instance smaller than its GPU instance, a profile NVML does not
 * list) are left out with a warning instead of failing the whole node.
 *
 * <p>NVML is initialised for the duration of {@link #discover()} and shut down afterwards.
 */
public final class NvmlDiscovery {

    private static final long MIB = 1024L * 1024;

    private final Nvml nvml;
    private final PciTopology topology;
    private final Consumer<String> warnings;

    /** @param warnings receives one line per thing left out for a reason worth telling the operator */
    public NvmlDiscovery(Nvml nvml, PciTopology topology, Consumer<String> warnings) {
        this.nvml = nvml;
        this.topology = topology;
        this.warnings = warnings;
    }

    /**
     * Discovery on this node: NVML from {@code libnvidia-ml.so.1} under {@code driverRoot}, topology from the sysfs
     * tree at {@code sysfsRoot}.
     *
     * @throws DiscoveryException when the library is not under the driver root or cannot be loaded
     */
    public static NvmlDiscovery live(Path driverRoot, Path sysfsRoot, Consumer<String> warnings) {
        Nvml nvml = JnaNvml.load(NvmlLibraryLocator.locate(driverRoot));
        return new NvmlDiscovery(nvml, new PciTopology(new LiveSysfs(sysfsRoot)), warnings);
    }

    /** @throws DiscoveryException with a message for the operator when NVML fails in a way that is not "unsupported" */
    public NodeInventory discover() {
        try {
            nvml.init();
        } catch (NvmlException e) {
            throw new DiscoveryException("NVML did not initialise: " + e.getMessage() + hint(e.code()), e);
        }
        try {
            String driverVersion = system("the driver version", nvml::systemGetDriverVersion);
            int cudaDriverVersion = optional(nvml::systemGetCudaDriverVersion, "the node").orElse(0);
            int count = system("the number of GPUs", nvml::deviceGetCount);
            List<GpuInfo> gpus = new ArrayList<>(count);
            for (int gpu = 0; gpu < count; gpu++) {
                gpus.add(gpu(gpu));
            }
            return new NodeInventory(driverVersion, cudaDriverVersion, gpus);
        } finally {
            shutdownQuietly();
        }
    }

    private void shutdownQuietly() {
        try {
            nvml.shutdown();
        } catch (NvmlException e) {
            warnings.accept("NVML did not shut down cleanly: " + e.getMessage());
        }
    }

    private GpuInfo gpu(int index) {
        String atIndex = "GPU at NVML index " + index;
        int minor = required(atIndex, "its minor number, which names the device", () -> nvml.deviceGetMinorNumber(index));
        String uuid = required(atIndex, "its UUID", () -> nvml.deviceGetUuid(index));
        String productName = required(atIndex, "its product name", () -> nvml.deviceGetName(index));
        PciInfo pci = required(atIndex, "its PCI bus ID", () -> nvml.deviceGetPciInfo(index));
        String pciBusId;
        try {
            pciBusId = PciBusIds.normalize(pci.busId());
        } catch (IllegalArgumentException e) {
            throw new DiscoveryException(atIndex + ": " + e.getMessage());
        }
        String where = DeviceNames.gpu(minor) + " (" + uuid + ")";

        String brand = optional(() -> nvml.deviceGetBrand(index), where)
                .flatMap(code -> known(NvmlNames.brand(code), where, "brand", code)).orElse(null);
        String architecture = optional(() -> nvml.deviceGetArchitecture(index), where)
                .flatMap(code -> known(NvmlNames.architecture(code), where, "architecture", code)).orElse(null);
        String computeCapability = optional(() -> nvml.deviceGetCudaComputeCapability(index), where)
                .map(ComputeCapability::text).orElse(null);
        Long memoryBytes = optional(() -> nvml.deviceGetMemoryInfo(index), where).map(MemoryInfo::total).orElse(null);
        String pcieRoot = topology.pcieRoot(pciBusId).orElse(null);
        Integer numaNode = topology.numaNode(pciBusId).orElse(null);

        Optional<MigMode> migMode = optional(() -> nvml.deviceGetMigMode(index), where);
        boolean migEnabled = migMode.map(MigMode::currentlyEnabled).orElse(false);
        if (migMode.isPresent() && migMode.get().current() != migMode.get().pending()) {
            warnings.accept(where + ": a MIG mode change is pending; it takes effect after a GPU reset, and this driver"
                    + " publishes the current mode until it is restarted after that");
        }
        List<MigInfo> migDevices = migEnabled ? migDevices(index, minor, uuid, memoryBytes, where) : List.of();
        if (migEnabled && migDevices.isEmpty()) {
            warnings.accept(where + ": MIG mode is enabled but no usable MIG device exists, so nothing of this GPU is"
                    + " published; create MIG devices (nvidia-smi mig -cgi ... -C) or disable MIG mode");
        }
        try {
            return new GpuInfo(minor, index, uuid, productName, brand, architecture, computeCapability, pciBusId,
                    memoryBytes, pcieRoot, numaNode, migEnabled, migDevices);
        } catch (IllegalArgumentException e) {
            throw new DiscoveryException(where + ": " + e.getMessage());
        }
    }

    private Optional<String> known(Optional<String> name, String where, String what, int code) {
        if (name.isEmpty()) {
            warnings.accept(where + ": NVML reports " + what + " code " + Integer.toUnsignedString(code)
                    + ", which this driver has no name for; the " + what + " attribute is left out");
        }
        return name;
    }

    private List<MigInfo> migDevices(int gpu, int minor, String parentUuid, Long parentMemoryBytes, String where) {
        int slots = required(where, "its MIG device count", () -> nvml.deviceGetMaxMigDeviceCount(gpu));
        Map<Integer, GiProfile> profiles = null;
        Set<String> placements = new HashSet<>();
        List<MigInfo> devices = new ArrayList<>();
        for (int slot = 0; slot < slots; slot++) {
            int mig = slot;
            if (!migSlotOccupied(gpu, mig, where)) {
                continue;
            }
            String migWhere = where + " MIG device " + mig;
            String uuid = required(migWhere, "its UUID", () -> nvml.migDeviceGetUuid(gpu, mig));
            migWhere = where + " MIG device " + uuid;
            int giId = required(migWhere, "its GPU instance ID", () -> nvml.migDeviceGetGpuInstanceId(gpu, mig));
            int ciId = required(migWhere, "its compute instance ID", () -> nvml.migDeviceGetComputeInstanceId(gpu, mig));
            GpuInstanceInfo gi = required(migWhere, "its GPU instance", () -> nvml.gpuInstanceGetInfo(gpu, giId));
            if (profiles == null) {
                profiles = gpuInstanceProfiles(gpu, where);
            }
            GiProfile profile = profiles.get(gi.profileId());
            if (profile == null) {
                warnings.accept(migWhere + ": its GPU instance has profile ID " + gi.profileId()
                        + ", which NVML does not list for this GPU; the MIG device is left out");
                continue;
            }
            if (parentMemoryBytes == null || parentMemoryBytes <= 0) {
                warnings.accept(migWhere + ": NVML does not report the GPU's total memory, which the MIG profile name is"
                        + " derived from; the MIG device is left out");
                continue;
            }
            String profileName = MigProfileNames.name(profile.profileEnum(), profile.info().memorySizeMB(), parentMemoryBytes)
                    .orElseThrow();
            if (!computeInstanceFillsGpuInstance(gpu, mig, migWhere, profileName)) {
                continue;
            }
            if (!placements.add(gi.profileId() + "@" + gi.placementStart())) {
                warnings.accept(migWhere + ": another MIG device already has profile " + profileName + " at placement "
                        + gi.placementStart() + ", so both would get the same name; this one is left out");
                continue;
            }
            GpuInstanceProfileInfo info = profile.info();
            MigProfile migProfile = new MigProfile(profileName, info.id(), info.multiprocessorCount(), info.copyEngineCount(),
                    info.decoderCount(), info.encoderCount(), info.jpegCount(), info.ofaCount(), info.memorySizeMB() * MIB);
            devices.add(new MigInfo(uuid, minor, parentUuid, giId, ciId, migProfile, gi.placementStart(), gi.placementSize()));
        }
        return devices;
    }

    private boolean migSlotOccupied(int gpu, int mig, String where) {
        try {
            nvml.deviceGetMigDeviceHandleByIndex(gpu, mig);
            return true;
        } catch (NvmlException e) {
            if (e.code() == NvmlReturn.ERROR_NOT_FOUND || e.code() == NvmlReturn.ERROR_INVALID_ARGUMENT) {
                return false;
            }
            throw new DiscoveryException(where + ": MIG device " + mig + ": " + e.getMessage() + hint(e.code()), e);
        }
    }

    /** Upstream names only MIG devices whose compute instance is the whole GPU instance ({@code 1c.2g} is skipped). */
    private boolean computeInstanceFillsGpuInstance(int gpu, int mig, String migWhere, String profileName) {
        Optional<MigDeviceAttributes> attributes = optional(() -> nvml.migDeviceGetAttributes(gpu, mig), migWhere);
        if (attributes.isEmpty()) {
            return true;
        }
        MigDeviceAttributes a = attributes.get();
        if (a.computeInstanceSliceCount() == a.gpuInstanceSliceCount()) {
            return true;
        }
        warnings.accept(migWhere + ": its compute instance uses " + a.computeInstanceSliceCount() + " of the "
                + a.gpuInstanceSliceCount() + " slices of its " + profileName + " GPU instance; only MIG devices whose"
                + " compute instance fills the GPU instance are published, so it is left out");
        return false;
    }

    private record GiProfile(int profileEnum, GpuInstanceProfileInfo info) {
    }

    /** Profile ID (as GPU instances report it) to the profile enum it was read with and its details. */
    private Map<Integer, GiProfile> gpuInstanceProfiles(int gpu, String where) {
        Map<Integer, GiProfile> profiles = new HashMap<>();
        for (int profileEnum = 0; profileEnum < MigProfileNames.PROFILE_ENUM_COUNT; profileEnum++) {
            int e = profileEnum;
            try {
                GpuInstanceProfileInfo info = nvml.deviceGetGpuInstanceProfileInfo(gpu, e);
                profiles.putIfAbsent(info.id(), new GiProfile(e, info));
            } catch (NvmlException ex) {
                if (!ex.isNotSupported() && ex.code() != NvmlReturn.ERROR_INVALID_ARGUMENT) {
                    throw new DiscoveryException(where + ": GPU instance profile " + e + ": " + ex.getMessage() + hint(ex.code()), ex);
                }
            }
        }
        return profiles;
    }

    private <T> T system(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (NvmlException e) {
            throw new DiscoveryException("NVML could not tell " + what + ": " + e.getMessage() + hint(e.code()), e);
        }
    }

    private static <T> T required(String where, String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (NvmlException e) {
            throw new DiscoveryException(where + ": " + e.getMessage() + "; " + what + " is required to publish it" + hint(e.code()), e);
        }
    }

    private static <T> Optional<T> optional(Supplier<T> call, String where) {
        try {
            return Optional.of(call.get());
        } catch (NvmlException e) {
            if (e.isNotSupported()) {
                return Optional.empty();
            }
            throw new DiscoveryException(where + ": " + e.getMessage() + hint(e.code()), e);
        }
    }

    /** The likely fix for the errors a misconfigured node produces. */
    static String hint(int code) {
        return switch (code) {
            case NvmlReturn.ERROR_NO_PERMISSION -> ". Run as root, or give the process access to /dev/nvidiactl and /dev/nvidia*";
            case NvmlReturn.ERROR_DRIVER_NOT_LOADED -> ". The NVIDIA kernel module is not loaded: check 'nvidia-smi' on the node"
                    + " and, with a driver container, that it has finished installing";
            case NvmlReturn.ERROR_LIB_RM_VERSION_MISMATCH -> ". libnvidia-ml.so.1 under the driver root does not match the"
                    + " running kernel module: point the driver root at the driver that is loaded, or reboot after a driver upgrade";
            case NvmlReturn.ERROR_GPU_IS_LOST -> ". The GPU has fallen off the bus: check the kernel log for Xid errors and"
                    + " reset the GPU or drain the node";
            default -> "";
        };
    }
}
