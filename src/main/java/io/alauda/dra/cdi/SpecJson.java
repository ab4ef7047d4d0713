package io.alauda.dra.cdi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.alauda.dra.files.JsonFiles;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Converts specs to and from the JSON of a CDI spec file, through the records below, which mirror the CDI Go
 * library's {@code specs-go} structs: same field names in the same order; unset optional fields and empty lists are
 * left out, as Go's {@code omitempty} would.
 *
 * <p>Reading is as strict as the Go loader in containerd and CRI-O: an unknown field, a wrong type, a null inside a
 * list or a fractional or out-of-range number is an error naming the field's path, so a file we accept is one the
 * runtime accepts too.
 */
public final class SpecJson {

    /** Valid CDI that this driver never writes: a file that has them was made by something else. */
    private static final Set<String> NEVER_WRITTEN = Set.of("intelRdt", "netDevices");

    private static final ObjectReader READER = JsonFiles.builder()
            .defaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL))
            .build()
            .readerFor(SpecFile.class)
            // Checked below instead: Jackson's own check reports trailing text as a mismatch of the whole spec.
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private SpecJson() {
    }

    /** The file content: pretty JSON ending in a newline. */
    public static String toJson(Spec spec) {
        return JsonFiles.pretty(SpecFile.of(spec)) + "\n";
    }

    public static Spec fromJson(String json) throws CdiException {
        SpecFile file;
        // Our own parser, so that after a failure it still points at the value that did not fit.
        try (JsonParser parser = READER.createParser(json)) {
            try {
                file = READER.readValue(parser);
                if (parser.nextToken() != null) {
                    throw new CdiException("invalid JSON at line " + parser.currentLocation().getLineNr() + ", column "
                            + parser.currentLocation().getColumnNr() + ": unexpected text after the spec");
                }
            } catch (JsonProcessingException e) {
                throw problem(e, parser);
            }
        } catch (IOException e) {
            throw new CdiException("cannot read the spec: " + e.getMessage(), e);
        }
        if (file == null) {
            throw new CdiException("field 'spec' must be an object, got null");
        }
        return file.toSpec();
    }

    // ---- the file's records, in specs-go order

    @JsonPropertyOrder({"cdiVersion", "kind", "annotations", "devices", "containerEdits"})
    @JsonInclude(Include.NON_EMPTY)
    record SpecFile(
            @JsonInclude(Include.ALWAYS) String cdiVersion,
            @JsonInclude(Include.ALWAYS) String kind,
            SortedMap<String, String> annotations,
            @JsonInclude(Include.ALWAYS) List<DeviceFile> devices,
            EditsFile containerEdits) {

        static SpecFile of(Spec spec) {
            return new SpecFile(spec.cdiVersion(), spec.kind(), spec.annotations(), map(spec.devices(), DeviceFile::of),
                    spec.containerEdits().isEmpty() ? null : EditsFile.of(spec.containerEdits()));
        }

        Spec toSpec() throws CdiException {
            List<Device> list = new ArrayList<>();
            for (int i = 0; devices != null && i < devices.size(); i++) {
                list.add(devices.get(i).toDevice("devices[" + i + "]"));
            }
            return new Spec(cdiVersion, kind, annotations, list, EditsFile.toEdits(containerEdits, "containerEdits"));
        }
    }

    @JsonPropertyOrder({"name", "annotations", "containerEdits"})
    @JsonInclude(Include.NON_EMPTY)
    record DeviceFile(
            @JsonInclude(Include.ALWAYS) String name,
            SortedMap<String, String> annotations,
            // Required by the schema even when empty, as the Go struct tag has no omitempty.
            @JsonInclude(Include.ALWAYS) EditsFile containerEdits) {

        static DeviceFile of(Device device) {
            return new DeviceFile(device.name(), device.annotations(), EditsFile.of(device.containerEdits()));
        }

        Device toDevice(String path) throws CdiException {
            return new Device(name, annotations, EditsFile.toEdits(containerEdits, path + ".containerEdits"));
        }
    }

    @JsonPropertyOrder({"env", "deviceNodes", "hooks", "mounts", "additionalGids"})
    @JsonInclude(Include.NON_EMPTY)
    record EditsFile(
            List<String> env,
            List<DeviceNodeFile> deviceNodes,
            List<HookFile> hooks,
            List<MountFile> mounts,
            List<Long> additionalGids) {

        static EditsFile of(ContainerEdits edits) {
            return new EditsFile(edits.env(), map(edits.deviceNodes(), DeviceNodeFile::of), map(edits.hooks(), HookFile::of),
                    map(edits.mounts(), MountFile::of), edits.additionalGids());
        }

        static ContainerEdits toEdits(EditsFile in, String path) throws CdiException {
            if (in == null) {
                return ContainerEdits.EMPTY;
            }
            List<DeviceNode> nodes = new ArrayList<>();
            for (int i = 0; in.deviceNodes != null && i < in.deviceNodes.size(); i++) {
                nodes.add(in.deviceNodes.get(i).toDeviceNode(path + ".deviceNodes[" + i + "]"));
            }
            List<Hook> hookList = new ArrayList<>();
            for (int i = 0; in.hooks != null && i < in.hooks.size(); i++) {
                hookList.add(in.hooks.get(i).toHook(path + ".hooks[" + i + "]"));
            }
            List<Mount> mountList = new ArrayList<>();
            for (int i = 0; in.mounts != null && i < in.mounts.size(); i++) {
                mountList.add(in.mounts.get(i).toMount());
            }
            List<Long> gids = in.additionalGids == null ? List.of() : in.additionalGids;
            for (int i = 0; i < gids.size(); i++) {
                uint32(gids.get(i), path + ".additionalGids[" + i + "]");
            }
            return new ContainerEdits(in.env, nodes, mountList, hookList, gids);
        }
    }

    @JsonPropertyOrder({"path", "hostPath", "type", "major", "minor", "fileMode", "permissions", "uid", "gid"})
    @JsonInclude(Include.NON_EMPTY)
    record DeviceNodeFile(
            @JsonInclude(Include.ALWAYS) String path,
            String hostPath,
            String type,
            Long major,
            Long minor,
            Long fileMode,
            String permissions,
            Long uid,
            Long gid) {

        static DeviceNodeFile of(DeviceNode node) {
            return new DeviceNodeFile(node.path(), node.hostPath(), node.type(), node.major(), node.minor(),
                    node.fileMode() == null ? null : node.fileMode().longValue(), node.permissions(), node.uid(), node.gid());
        }

        DeviceNode toDeviceNode(String where) throws CdiException {
            Long mode = uint32(fileMode, where + ".fileMode");
            return new DeviceNode(path, hostPath, type, major, minor, mode == null ? null : mode.intValue(), permissions,
                    uint32(uid, where + ".uid"), uint32(gid, where + ".gid"));
        }
    }

    @JsonPropertyOrder({"hostPath", "containerPath", "options", "type"})
    @JsonInclude(Include.NON_EMPTY)
    record MountFile(
            @JsonInclude(Include.ALWAYS) String hostPath,
            @JsonInclude(Include.ALWAYS) String containerPath,
            List<String> options,
            String type) {

        static MountFile of(Mount mount) {
            return new MountFile(mount.hostPath(), mount.containerPath(), mount.options(), mount.type());
        }

        Mount toMount() {
            return new Mount(hostPath, containerPath, type, options);
        }
    }

    @JsonPropertyOrder({"hookName", "path", "args", "env", "timeout"})
    @JsonInclude(Include.NON_EMPTY)
    record HookFile(
            @JsonInclude(Include.ALWAYS) String hookName,
            @JsonInclude(Include.ALWAYS) String path,
            List<String> args,
            List<String> env,
            Long timeout) {

        static HookFile of(Hook hook) {
            return new HookFile(hook.hookName(), hook.path(), hook.args(), hook.env(),
                    hook.timeout() == null ? null : hook.timeout().longValue());
        }

        Hook toHook(String where) throws CdiException {
            if (timeout != null && (timeout < Integer.MIN_VALUE || timeout > Integer.MAX_VALUE)) {
                throw new CdiException("field '" + where + ".timeout' is out of range: " + timeout);
            }
            return new Hook(hookName, path, args, env, timeout == null ? null : timeout.intValue());
        }
    }

    private static <T, R> List<R> map(List<T> values, Function<T, R> convert) {
        return values.stream().map(convert).toList();
    }

    private static Long uint32(Long value, String path) throws CdiException {
        if (value != null && (value < 0 || value > 0xFFFF_FFFFL)) {
            throw new CdiException("field '" + path + "' must be between 0 and 4294967295, got " + value);
        }
        return value;
    }

    // ---- Jackson's errors, in the words of the file's fields

    private static CdiException problem(JsonProcessingException e, JsonParser parser) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            List<JsonMappingException.Reference> path = unknown.getPath();
            String field = unknown.getPropertyName();
            if (unknown.getReferringClass() == EditsFile.class && NEVER_WRITTEN.contains(field)) {
                return new CdiException("field '" + path(path) + "' is valid CDI but never written by this driver; "
                        + "this file was not made by it", e);
            }
            String in = path.size() < 2 ? "spec" : path(path.subList(0, path.size() - 1));
            return new CdiException("unknown field '" + field + "' in " + in + "; allowed: "
                    + String.join(", ", new TreeSet<>(names(unknown.getKnownPropertyIds()))), e);
        }
        if (e instanceof InvalidNullException nulls) {
            return new CdiException("field '" + path(nulls.getPath()) + "' must not be null", e);
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null && parser.currentToken() != null) {
            String path = mismatch.getPath().isEmpty() ? "spec" : path(mismatch.getPath());
            Class<?> target = mismatch.getTargetType();
            if (target == Long.class && parser.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
                return new CdiException("field '" + path + "' must be a whole number that fits 64 bits, got " + text(parser), e);
            }
            String got = kind(parser.currentToken());
            if (!got.equals(expected(target))) {
                return new CdiException("field '" + path + "' must be " + expected(target) + ", got " + got, e);
            }
        }
        if (e instanceof JsonMappingException mapping && mapping.getCause() instanceof InputCoercionException) {
            return new CdiException("field '" + path(mapping.getPath()) + "' must be a whole number that fits 64 bits, got "
                    + text(parser), e);
        }
        return new CdiException("invalid JSON at " + JsonFiles.problem(e), e);
    }

    /** {@code devices[0].containerEdits.deviceNodes[1].major}. */
    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                out.append('[').append(reference.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static List<String> names(Collection<Object> ids) {
        return ids.stream().map(String::valueOf).toList();
    }

    private static String text(JsonParser parser) {
        try {
            return parser.getText();
        } catch (IOException e) {
            return "an unreadable number";
        }
    }

    private static String expected(Class<?> target) {
        if (target == String.class) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(target)) {
            return "a number";
        }
        if (Collection.class.isAssignableFrom(target) || target.isArray()) {
            return "an array";
        }
        return Map.class.isAssignableFrom(target) || target.isRecord() ? "an object" : "a " + target.getSimpleName();
    }

    private static String kind(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            default -> token.asString() == null ? token.name() : "'" + token.asString() + "'";
        };
    }
}
