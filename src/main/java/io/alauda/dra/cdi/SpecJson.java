package io.alauda.dra.cdi;

import io.alauda.dra.json.Json;
import io.alauda.dra.json.JsonParseException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Converts specs to and from the JSON of a CDI spec file. Field names and their order follow the CDI Go library's
 * {@code specs-go} structs; unset optional fields and empty lists are left out, as Go's {@code omitempty} would.
 *
 * <p>Reading is as strict as the Go loader in containerd and CRI-O: an unknown field, a wrong type or a fractional
 * number is an error naming the field's path, so a file we accept is one the runtime accepts too.
 */
public final class SpecJson {

    private SpecJson() {
    }

    /** The file content: pretty JSON ending in a newline. */
    public static String toJson(Spec spec) {
        return Json.writePretty(tree(spec)) + "\n";
    }

    public static Spec fromJson(String json) throws CdiException {
        Object root;
        try {
            root = Json.parse(json);
        } catch (JsonParseException e) {
            throw new CdiException("invalid JSON at " + e.getMessage(), e);
        }
        return spec(object(root, "spec"));
    }

    // ---- writing

    private static Map<String, Object> tree(Spec spec) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cdiVersion", spec.cdiVersion());
        out.put("kind", spec.kind());
        putIfNotEmpty(out, "annotations", spec.annotations());
        List<Object> devices = new ArrayList<>();
        for (Device device : spec.devices()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("name", device.name());
            putIfNotEmpty(d, "annotations", device.annotations());
            // Required by the schema even when empty, as the Go struct tag has no omitempty.
            d.put("containerEdits", tree(device.containerEdits()));
            devices.add(d);
        }
        out.put("devices", devices);
        Map<String, Object> edits = tree(spec.containerEdits());
        if (!edits.isEmpty()) {
            out.put("containerEdits", edits);
        }
        return out;
    }

    private static Map<String, Object> tree(ContainerEdits edits) {
        Map<String, Object> out = new LinkedHashMap<>();
        putIfNotEmpty(out, "env", edits.env());
        putIfNotEmpty(out, "deviceNodes", edits.deviceNodes().stream().map(SpecJson::tree).toList());
        putIfNotEmpty(out, "hooks", edits.hooks().stream().map(SpecJson::tree).toList());
        putIfNotEmpty(out, "mounts", edits.mounts().stream().map(SpecJson::tree).toList());
        putIfNotEmpty(out, "additionalGids", edits.additionalGids());
        return out;
    }

    private static Map<String, Object> tree(DeviceNode node) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("path", node.path());
        putIfSet(out, "hostPath", node.hostPath());
        putIfSet(out, "type", node.type());
        putIfSet(out, "major", node.major());
        putIfSet(out, "minor", node.minor());
        putIfSet(out, "fileMode", node.fileMode());
        putIfSet(out, "permissions", node.permissions());
        putIfSet(out, "uid", node.uid());
        putIfSet(out, "gid", node.gid());
        return out;
    }

    private static Map<String, Object> tree(Mount mount) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hostPath", mount.hostPath());
        out.put("containerPath", mount.containerPath());
        putIfNotEmpty(out, "options", mount.options());
        putIfSet(out, "type", mount.type());
        return out;
    }

    private static Map<String, Object> tree(Hook hook) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hookName", hook.hookName());
        out.put("path", hook.path());
        putIfNotEmpty(out, "args", hook.args());
        putIfNotEmpty(out, "env", hook.env());
        putIfSet(out, "timeout", hook.timeout());
        return out;
    }

    private static void putIfSet(Map<String, Object> out, String key, Object value) {
        if (value != null && !(value instanceof String s && s.isEmpty())) {
            out.put(key, value);
        }
    }

    private static void putIfNotEmpty(Map<String, Object> out, String key, Object value) {
        if (value instanceof List<?> list && !list.isEmpty() || value instanceof Map<?, ?> map && !map.isEmpty()) {
            out.put(key, value);
        }
    }

    // ---- reading

    private static Spec spec(Map<String, Object> in) throws CdiException {
        allowOnly(in, "spec", Set.of("cdiVersion", "kind", "annotations", "devices", "containerEdits"));
        List<Device> devices = new ArrayList<>();
        List<Object> rawDevices = list(in.get("devices"), "devices");
        for (int i = 0; i < rawDevices.size(); i++) {
            devices.add(device(object(rawDevices.get(i), "devices[" + i + "]"), "devices[" + i + "]"));
        }
        return new Spec(
                string(in.get("cdiVersion"), "cdiVersion"),
                string(in.get("kind"), "kind"),
                stringMap(in.get("annotations"), "annotations"),
                devices,
                edits(in.get("containerEdits"), "containerEdits"));
    }

    private static Device device(Map<String, Object> in, String path) throws CdiException {
        allowOnly(in, path, Set.of("name", "annotations", "containerEdits"));
        return new Device(
                string(in.get("name"), path + ".name"),
                stringMap(in.get("annotations"), path + ".annotations"),
                edits(in.get("containerEdits"), path + ".containerEdits"));
    }

    private static ContainerEdits edits(Object raw, String path) throws CdiException {
        if (raw == null) {
            return ContainerEdits.EMPTY;
        }
        Map<String, Object> in = object(raw, path);
        for (String unsupported : List.of("intelRdt", "netDevices")) {
            if (in.containsKey(unsupported)) {
                throw new CdiException("field '" + path + "." + unsupported + "' is valid CDI but never written by "
                        + "this driver; this file was not made by it");
            }
        }
        allowOnly(in, path, Set.of("env", "deviceNodes", "hooks", "mounts", "additionalGids"));
        List<DeviceNode> nodes = new ArrayList<>();
        List<Object> rawNodes = list(in.get("deviceNodes"), path + ".deviceNodes");
        for (int i = 0; i < rawNodes.size(); i++) {
            nodes.add(deviceNode(rawNodes.get(i), path + ".deviceNodes[" + i + "]"));
        }
        List<Hook> hooks = new ArrayList<>();
        List<Object> rawHooks = list(in.get("hooks"), path + ".hooks");
        for (int i = 0; i < rawHooks.size(); i++) {
            hooks.add(hook(rawHooks.get(i), path + ".hooks[" + i + "]"));
        }
        List<Mount> mounts = new ArrayList<>();
        List<Object> rawMounts = list(in.get("mounts"), path + ".mounts");
        for (int i = 0; i < rawMounts.size(); i++) {
            mounts.add(mount(rawMounts.get(i), path + ".mounts[" + i + "]"));
        }
        List<Long> gids = new ArrayList<>();
        List<Object> rawGids = list(in.get("additionalGids"), path + ".additionalGids");
        for (int i = 0; i < rawGids.size(); i++) {
            gids.add(uint32(rawGids.get(i), path + ".additionalGids[" + i + "]"));
        }
        return new ContainerEdits(
                stringList(in.get("env"), path + ".env"), nodes, mounts, hooks, gids);
    }

    private static DeviceNode deviceNode(Object raw, String path) throws CdiException {
        Map<String, Object> in = object(raw, path);
        allowOnly(in, path, Set.of("path", "hostPath", "type", "major", "minor", "fileMode", "permissions", "uid", "gid"));
        Long fileMode = uint32(in.get("fileMode"), path + ".fileMode");
        return new DeviceNode(
                string(in.get("path"), path + ".path"),
                string(in.get("hostPath"), path + ".hostPath"),
                string(in.get("type"), path + ".type"),
                whole(in.get("major"), path + ".major"),
                whole(in.get("minor"), path + ".minor"),
                fileMode == null ? null : fileMode.intValue(),
                string(in.get("permissions"), path + ".permissions"),
                uint32(in.get("uid"), path + ".uid"),
                uint32(in.get("gid"), path + ".gid"));
    }

    private static Mount mount(Object raw, String path) throws CdiException {
        Map<String, Object> in = object(raw, path);
        allowOnly(in, path, Set.of("hostPath", "containerPath", "options", "type"));
        return new Mount(
                string(in.get("hostPath"), path + ".hostPath"),
                string(in.get("containerPath"), path + ".containerPath"),
                string(in.get("type"), path + ".type"),
                stringList(in.get("options"), path + ".options"));
    }

    private static Hook hook(Object raw, String path) throws CdiException {
        Map<String, Object> in = object(raw, path);
        allowOnly(in, path, Set.of("hookName", "path", "args", "env", "timeout"));
        Long timeout = whole(in.get("timeout"), path + ".timeout");
        if (timeout != null && (timeout < Integer.MIN_VALUE || timeout > Integer.MAX_VALUE)) {
            throw new CdiException("field '" + path + ".timeout' is out of range: " + timeout);
        }
        return new Hook(
                string(in.get("hookName"), path + ".hookName"),
                string(in.get("path"), path + ".path"),
                stringList(in.get("args"), path + ".args"),
                stringList(in.get("env"), path + ".env"),
                timeout == null ? null : timeout.intValue());
    }

    private static void allowOnly(Map<String, Object> in, String path, Set<String> fields) throws CdiException {
        for (String key : in.keySet()) {
            if (!fields.contains(key)) {
                throw new CdiException("unknown field '" + key + "' in " + path + "; allowed: "
                        + String.join(", ", new TreeSet<>(fields)));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object raw, String path) throws CdiException {
        if (raw instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw typeError(path, "an object", raw);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object raw, String path) throws CdiException {
        if (raw == null) {
            return List.of();
        }
        if (raw instanceof List<?> list) {
            return (List<Object>) list;
        }
        throw typeError(path, "an array", raw);
    }

    private static String string(Object raw, String path) throws CdiException {
        if (raw == null || raw instanceof String) {
            return (String) raw;
        }
        throw typeError(path, "a string", raw);
    }

    private static List<String> stringList(Object raw, String path) throws CdiException {
        List<String> out = new ArrayList<>();
        List<Object> items = list(raw, path);
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            if (!(item instanceof String s)) {
                throw typeError(path + "[" + i + "]", "a string", item);
            }
            out.add(s);
        }
        return out;
    }

    private static TreeMap<String, String> stringMap(Object raw, String path) throws CdiException {
        TreeMap<String, String> out = new TreeMap<>();
        if (raw == null) {
            return out;
        }
        for (Map.Entry<String, Object> entry : object(raw, path).entrySet()) {
            if (!(entry.getValue() instanceof String value)) {
                throw typeError(path + "." + entry.getKey(), "a string", entry.getValue());
            }
            out.put(entry.getKey(), value);
        }
        return out;
    }

    private static Long whole(Object raw, String path) throws CdiException {
        if (raw == null || raw instanceof Long) {
            return (Long) raw;
        }
        if (raw instanceof BigDecimal) {
            throw new CdiException("field '" + path + "' must be a whole number that fits 64 bits, got " + raw);
        }
        throw typeError(path, "a number", raw);
    }

    private static Long uint32(Object raw, String path) throws CdiException {
        Long value = whole(raw, path);
        if (value != null && (value < 0 || value > 0xFFFF_FFFFL)) {
            throw new CdiException("field '" + path + "' must be between 0 and 4294967295, got " + value);
        }
        return value;
    }

    private static CdiException typeError(String path, String expected, Object got) {
        String kind = got == null ? "null"
                : got instanceof Map ? "an object"
                : got instanceof List ? "an array"
                : got instanceof String ? "a string"
                : got instanceof Boolean ? "a boolean"
                : "a number";
        return new CdiException("field '" + path + "' must be " + expected + ", got " + kind);
    }
}
