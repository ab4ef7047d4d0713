package io.alauda.dra.slice;

import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.device.AttributeValue;
import io.alauda.dra.device.Quantities;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Turns one slice's devices into the fabric8 ResourceSlice of one API version. */
interface SliceRenderer {

    HasMetadata render(SliceHeader header, List<AllocatableDevice> devices);

    /**
     * Attributes keyed as they are published: the device model already keeps bare names for the driver's domain
     * and qualified ones for others, which is exactly the ResourceSlice convention. Null when empty, so the field
     * is left out as the API server would leave it out.
     */
    static <A> Map<String, A> attributes(AllocatableDevice device, Function<AttributeValue, A> convert) {
        if (device.attributes().isEmpty()) {
            return null;
        }
        Map<String, A> map = new LinkedHashMap<>();
        device.attributes().forEach((name, value) -> map.put(name, convert.apply(value)));
        return map;
    }

    /** Capacities written as the API server canonicalises them, so that what we read back compares equal. */
    static <C> Map<String, C> capacities(AllocatableDevice device, Function<Quantity, C> convert) {
        if (device.capacities().isEmpty()) {
            return null;
        }
        Map<String, C> map = new LinkedHashMap<>();
        device.capacities().forEach((name, value) -> map.put(name, convert.apply(new Quantity(Quantities.binarySI(value)))));
        return map;
    }
}
