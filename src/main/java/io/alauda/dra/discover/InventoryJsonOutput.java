package io.alauda.dra.discover;

import io.alauda.dra.device.GpuInfo;
import io.alauda.dra.device.MigInfo;
import io.alauda.dra.device.MigProfile;
import io.alauda.dra.device.NodeInventory;
import io.alauda.dra.files.JsonFiles;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --output json}: the discovered facts themselves, before they become devices; unknown facts are absent. */
public final class InventoryJsonOutput implements InventoryOutput {

    @Override
    public void write(NodeInventory inventory, PrintStream out) {
        out.println(JsonFiles.fitted(toJson(inventory)));
    }

    static Map<String, Object> toJson(NodeInventory inventory) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("driverVersion", inventory.driverVersion());
        root.put("cudaDriverVersion", (long) inventory.cudaDriverVersion());
        List<Object> gpus = new ArrayList<>();
        for (GpuInfo gpu : inventory.gpus()) {
            gpus.add(gpu(gpu));
        }
        root.put("gpus", gpus);
        return root;
    }

    private static Map<String, Object> gpu(GpuInfo gpu) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("minor", (long) gpu.minor());
        map.put("index", (long) gpu.index());
        map.put("uuid", gpu.uuid());
        map.put("productName", gpu.productName());
        putIfKnown(map, "brand", gpu.brand());
        putIfKnown(map, "architecture", gpu.architecture());
        putIfKnown(map, "cudaComputeCapability", gpu.cudaComputeCapability());
        map.put("pciBusId", gpu.pciBusId());
        putIfKnown(map, "memoryBytes", gpu.memoryBytes());
        putIfKnown(map, "pcieRoot", gpu.pcieRoot());
        putIfKnown(map, "numaNode", gpu.numaNode() == null ? null : (long) gpu.numaNode());
        map.put("migEnabled", gpu.migEnabled());
        if (gpu.migEnabled()) {
            List<Object> migs = new ArrayList<>();
            for (MigInfo mig : gpu.migDevices()) {
                migs.add(mig(mig));
            }
            map.put("migDevices", migs);
        }
        return map;
    }

    private static Map<String, Object> mig(MigInfo mig) {
        MigProfile p = mig.profile();
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("name", p.name());
        profile.put("giProfileId", (long) p.giProfileId());
        profile.put("multiprocessors", (long) p.multiprocessors());
        profile.put("copyEngines", (long) p.copyEngines());
        profile.put("decoders", (long) p.decoders());
        profile.put("encoders", (long) p.encoders());
        profile.put("jpegEngines", (long) p.jpegEngines());
        profile.put("ofaEngines", (long) p.ofaEngines());
        profile.put("memoryBytes", p.memoryBytes());
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("uuid", mig.uuid());
        map.put("gpuInstanceId", (long) mig.gpuInstanceId());
        map.put("computeInstanceId", (long) mig.computeInstanceId());
        map.put("placementStart", (long) mig.placementStart());
        map.put("placementSize", (long) mig.placementSize());
        map.put("profile", profile);
        return map;
    }

    private static void putIfKnown(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
