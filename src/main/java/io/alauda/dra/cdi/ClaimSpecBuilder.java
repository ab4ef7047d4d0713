package io.alauda.dra.cdi;

import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.device.DeviceType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the CDI spec of one prepared claim: the driver's common edits once, and per allocated device the device
 * nodes it needs (a full GPU's {@code /dev/nvidia<minor>}; for a MIG device its parent's node plus the two
 * {@code nvidia-caps} nodes of its GPU and compute instance; for both the GPU's DRM nodes where it has any). The
 * version stamped is the lowest the content allows.
 */
public final class ClaimSpecBuilder {

    private final DriverFileDiscovery discovery;
    private final String driverVersion;
    private final String nvidiaCdiHookPath;

    /**
     * @param driverVersion     as NVML reports it, e.g. {@code 580.159.04}
     * @param nvidiaCdiHookPath absolute host path of {@code nvidia-cdi-hook} (or {@code nvidia-ctk}); null for no hooks
     * @throws IllegalArgumentException when the hook path is not a clean absolute path
     */
    public ClaimSpecBuilder(DriverFileDiscovery discovery, String driverVersion, String nvidiaCdiHookPath) {
        this.discovery = discovery;
        this.driverVersion = driverVersion;
        this.nvidiaCdiHookPath = checkedHookPath(nvidiaCdiHookPath);
    }

    /**
     * @param devices this driver's devices allocated to the claim on this node; at least one
     * @throws CdiException naming the claim and the problem: invalid UID, no or duplicate devices, a missing device
     *                      node or library
     */
    public Spec build(String claimUid, List<AllocatableDevice> devices) throws CdiException {
        return build(claimUid, devices, Map.of());
    }

    /**
     * @param extraEdits device name to edits added after the device's own, e.g. an MPS control daemon's pipe
     *                   directory and environment; devices not named get none
     */
    public Spec build(String claimUid, List<AllocatableDevice> devices, Map<String, ContainerEdits> extraEdits)
            throws CdiException {
        ClaimUids.requireValid(claimUid);
        if (devices == null || devices.isEmpty()) {
            throw new CdiException("claim " + claimUid + " has no devices of this driver on this node; "
                    + "there is no CDI spec to write");
        }
        Set<String> seen = new HashSet<>();
        List<Device> cdiDevices = new ArrayList<>();
        for (AllocatableDevice device : devices) {
            if (!seen.add(device.name())) {
                throw new CdiException("claim " + claimUid + " lists device " + device.name() + " twice");
            }
            ContainerEdits edits = (device.type() == DeviceType.MIG
                    ? discovery.migEdits(device.mig())
                    : discovery.gpuEdits(device.gpu().minor()))
                    .plus(discovery.drmEdits(device.gpu().pciBusId(), nvidiaCdiHookPath))
                    .plus(extraEdits.getOrDefault(device.name(), ContainerEdits.EMPTY));
            cdiDevices.add(new Device(ClaimSpecs.cdiDeviceName(claimUid, device.name()), edits));
        }
        cdiDevices.sort(Comparator.comparing(Device::name));
        DriverFiles files = discovery.discover(driverVersion);
        Spec draft = new Spec(null, ClaimSpecs.KIND, cdiDevices, CommonEdits.of(files, nvidiaCdiHookPath));
        Spec spec = draft.withCdiVersion(CdiVersions.minimumFor(draft));
        SpecValidator.validate(spec);
        return spec;
    }

    private static String checkedHookPath(String path) {
        if (path == null) {
            return null;
        }
        boolean clean = path.startsWith("/") && Path.of(path).normalize().toString().equals(path)
                && path.chars().noneMatch(c -> c < 0x20 || c == 0x7f) && path.length() > 1;
        if (!clean) {
            throw new IllegalArgumentException("nvidia-cdi-hook path '" + ClaimUids.printable(path) + "' must be an "
                    + "absolute, normalised host path such as /usr/bin/nvidia-cdi-hook");
        }
        return path;
    }
}
