package io.alauda.dra.discover;

import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.device.AttributeValue;
import io.alauda.dra.device.DeviceModel;
import io.alauda.dra.device.NodeInventory;
import io.alauda.dra.device.Quantities;
import io.alauda.dra.files.JsonFiles;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --slice}: the devices as they would appear in a {@code resource.k8s.io/v1} ResourceSlice's
 * {@code spec.devices}: typed attributes ({@code {"string": ...}}, {@code {"int": ...}}, {@code {"bool": ...}},
 * {@code {"version": ...}}) and capacities as canonical quantities ({@code {"value": "81559Mi"}}).
 */
public final class SliceDevicesOutput implements InventoryOutput {

    @Override
    public void write(NodeInventory inventory, PrintStream out) {
        out.println(JsonFiles.fitted(toJson(DeviceModel.devices(inventory))));
    }

    static List<Object> toJson(List<AllocatableDevice> devices) {
        List<Object> list = new ArrayList<>();
        for (AllocatableDevice device : devices) {
            Map<String, Object> attributes = new LinkedHashMap<>();
            device.attributes().forEach((name, value) -> attributes.put(name, attribute(value)));
            Map<String, Object> capacity = new LinkedHashMap<>();
            device.capacities().forEach((name, value) -> capacity.put(name, Map.of("value", Quantities.binarySI(value))));
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("name", device.name());
            map.put("attributes", attributes);
            map.put("capacity", capacity);
            list.add(map);
        }
        return list;
    }

    private static Map<String, Object> attribute(AttributeValue value) {
        String kind = switch (value.kind()) {
            case STRING -> "string";
            case INT -> "int";
            case BOOL -> "bool";
            case VERSION -> "version";
        };
        return Map.of(kind, value.value());
    }
}
