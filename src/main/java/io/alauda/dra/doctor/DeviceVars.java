package io.alauda.dra.doctor;

import java.util.HashMap;
import java.util.Map;

/**
 * A device as CEL sees it: {@code device.driver}, {@code device.attributes[domain][id]} (string, int, bool or
 * {@link SemVer}) and {@code device.capacity[domain][id]} ({@link Quantity}); bare names go to the driver's domain,
 * as Kubernetes' parseQualifiedName does. Built once per device and reused by every selector.
 */
final class DeviceVars {

    final Device device;
    /** {@link Device#id()} and {@link Device#where()}, computed once. */
    final String id;
    final String where;
    final Map<String, Map<String, Object>> attributes = new HashMap<>();
    final Map<String, Map<String, Object>> capacity = new HashMap<>();
    private Map<String, Object> activation;

    DeviceVars(Device device) {
        this.device = device;
        this.id = device.id();
        this.where = device.where();
        device.attributes().forEach((name, value) -> put(attributes, device, name, value.value()));
        device.capacity().forEach((name, value) -> put(capacity, device, name, value));
    }

    private static void put(Map<String, Map<String, Object>> into, Device device, String name, Object value) {
        int slash = name.indexOf('/');
        String domain = slash < 0 ? device.driver() : name.substring(0, slash);
        String id = slash < 0 ? name : name.substring(slash + 1);
        into.computeIfAbsent(domain, d -> new HashMap<>()).put(id, value);
    }

    /** The value at {@code device.<field>[domain][id]}, or null when not published. */
    Object lookup(boolean capacityField, String domain, String id) {
        Map<String, Object> inner = (capacityField ? capacity : attributes).get(domain);
        return inner == null ? null : inner.get(id);
    }

    /** The names published in one domain of attributes or capacity, or null when the domain has none. */
    java.util.Set<String> names(boolean capacityField, String domain) {
        Map<String, Object> inner = (capacityField ? capacity : attributes).get(domain);
        return inner == null ? null : java.util.Set.copyOf(inner.keySet());
    }

    Map<String, Object> activation() {
        if (activation == null) {
            Map<String, Object> d = new HashMap<>();
            d.put("driver", device.driver());
            d.put("attributes", attributes);
            d.put("capacity", capacity);
            activation = Map.of("device", d);
        }
        return activation;
    }
}
