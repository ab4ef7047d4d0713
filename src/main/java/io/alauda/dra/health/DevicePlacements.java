package io.alauda.dra.health;

import io.alauda.dra.device.GpuInfo;
import io.alauda.dra.device.MigInfo;
import io.alauda.dra.device.NodeInventory;
import io.alauda.dra.nvml.NvmlEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Which devices an NVML event is about. NVML reports events on the physical GPU; on a GPU in MIG mode the event
 * names the GPU instance and compute instance when it can be attributed to one, and the node publishes such a GPU
 * only through its MIG devices, so a whole-GPU problem has to reach every one of them.
 *
 * <p>Fixed at start, like the inventory it is built from: MIG devices made later by hand are not published either.
 */
final class DevicePlacements {

    /** The devices an event lands on, and where on the GPU it happened, in words for the message. */
    record Attribution(List<String> uuids, String where) {
    }

    private final Map<String, GpuInfo> gpus = new LinkedHashMap<>();

    DevicePlacements(NodeInventory inventory) {
        for (GpuInfo gpu : inventory.gpus()) {
            gpus.put(gpu.uuid(), gpu);
        }
    }

    List<String> gpuUuids() {
        return List.copyOf(gpus.keySet());
    }

    boolean knows(String gpuUuid) {
        return gpus.containsKey(gpuUuid);
    }

    /** The GPU and every MIG device on it: what a whole-GPU problem (lost, unmonitored) lands on. */
    List<String> devicesOf(String gpuUuid) {
        List<String> uuids = new ArrayList<>();
        uuids.add(gpuUuid);
        GpuInfo gpu = gpus.get(gpuUuid);
        if (gpu != null) {
            gpu.migDevices().forEach(mig -> uuids.add(mig.uuid()));
        }
        return uuids;
    }

    /**
     * The MIG device of the event's GPU and compute instance; every MIG device of the GPU instance when the event
     * names no compute instance; the GPU and all its MIG devices when it names no instance. An instance this node did
     * not publish leaves the problem on the GPU alone, since no published device is on it.
     */
    Attribution attribute(NvmlEvent event) {
        String gpuUuid = event.gpuUuid();
        GpuInfo gpu = gpus.get(gpuUuid);
        OptionalInt gi = event.gpuInstance();
        if (gpu == null || gpu.migDevices().isEmpty() || gi.isEmpty()) {
            return new Attribution(devicesOf(gpuUuid), "the whole GPU");
        }
        OptionalInt ci = event.computeInstance();
        List<String> inInstance = new ArrayList<>();
        for (MigInfo mig : gpu.migDevices()) {
            if (mig.gpuInstanceId() == gi.getAsInt() && (ci.isEmpty() || mig.computeInstanceId() == ci.getAsInt())) {
                inInstance.add(mig.uuid());
            }
        }
        String where = "GPU instance " + gi.getAsInt() + (ci.isEmpty() ? "" : ", compute instance " + ci.getAsInt());
        if (inInstance.isEmpty()) {
            return new Attribution(List.of(gpuUuid), where + ", which this node does not publish");
        }
        return new Attribution(inInstance, where);
    }
}
