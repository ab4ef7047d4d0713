package io.alauda.dra.plugin.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.alauda.dra.plugin.checkpoint.CheckpointRecovery.Reason.INVALID_CONTENT;

/**
 * The optional {@code sharing} object of a checkpoint entry. It is an addition to schema 1, not a new schema: a
 * reader that predates it ignores it (the checksum covers unknown fields too), and entries without sharing are
 * written exactly as before.
 */
final class SharingCodec {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SharingCodec() {
    }

    static ObjectNode encode(SharingRecord sharing) {
        ObjectNode node = NODES.objectNode();
        ArrayNode timeSlices = node.putArray("timeSlices");
        for (SharingRecord.TimeSlice ts : sharing.timeSlices()) {
            ObjectNode t = timeSlices.addObject();
            t.put("gpuUuid", ts.gpuUuid());
            t.put("deviceName", ts.deviceName());
            t.put("timeSlice", ts.timeSlice());
            if (ts.originalComputeMode() != null) {
                t.put("originalComputeMode", ts.originalComputeMode());
            }
            if (ts.originalTimeSlice() != null) {
                t.put("originalTimeSlice", ts.originalTimeSlice());
            }
        }
        ArrayNode daemons = node.putArray("mpsDaemons");
        for (SharingRecord.MpsDaemon daemon : sharing.mpsDaemons()) {
            ObjectNode d = daemons.addObject();
            d.put("id", daemon.id());
            daemon.deviceUuids().forEach(d.putArray("deviceUuids")::add);
            daemon.gpuUuids().forEach(d.putArray("gpuUuids")::add);
            ObjectNode modes = d.putObject("originalComputeModes");
            daemon.originalComputeModes().forEach(modes::put);
        }
        return node;
    }

    static SharingRecord decode(JsonNode node, String where) throws CheckpointFormatException {
        if (!node.isObject()) {
            throw new CheckpointFormatException(INVALID_CONTENT, where + " is not an object");
        }
        List<SharingRecord.TimeSlice> timeSlices = new ArrayList<>();
        for (JsonNode t : array(node, "timeSlices", where)) {
            String at = where + ".timeSlices[" + timeSlices.size() + "]";
            JsonNode slice = t.get("timeSlice");
            if (slice == null || !slice.isInt()) {
                throw new CheckpointFormatException(INVALID_CONTENT, at + ".timeSlice is missing or not an integer");
            }
            JsonNode originalSlice = t.get("originalTimeSlice");
            if (originalSlice != null && !originalSlice.isNull() && !originalSlice.isInt()) {
                throw new CheckpointFormatException(INVALID_CONTENT, at + ".originalTimeSlice is not an integer");
            }
            timeSlices.add(new SharingRecord.TimeSlice(text(t, "gpuUuid", at), text(t, "deviceName", at),
                    slice.intValue(), optionalText(t, "originalComputeMode", at),
                    originalSlice == null || originalSlice.isNull() ? null : originalSlice.intValue()));
        }
        List<SharingRecord.MpsDaemon> daemons = new ArrayList<>();
        for (JsonNode d : array(node, "mpsDaemons", where)) {
            String at = where + ".mpsDaemons[" + daemons.size() + "]";
            Map<String, String> modes = new LinkedHashMap<>();
            JsonNode modesNode = d.get("originalComputeModes");
            if (modesNode != null && !modesNode.isNull()) {
                if (!modesNode.isObject()) {
                    throw new CheckpointFormatException(INVALID_CONTENT, at + ".originalComputeModes is not an object");
                }
                Iterator<Map.Entry<String, JsonNode>> it = modesNode.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> mode = it.next();
                    if (!mode.getValue().isTextual()) {
                        throw new CheckpointFormatException(INVALID_CONTENT, at + ".originalComputeModes holds a"
                                + " non-string value");
                    }
                    modes.put(mode.getKey(), mode.getValue().textValue());
                }
            }
            daemons.add(new SharingRecord.MpsDaemon(text(d, "id", at), strings(d, "deviceUuids", at),
                    strings(d, "gpuUuids", at), modes));
        }
        return new SharingRecord(timeSlices, daemons);
    }

    private static List<JsonNode> array(JsonNode node, String field, String where) throws CheckpointFormatException {
        JsonNode value = node.get(field);
        List<JsonNode> out = new ArrayList<>();
        if (value == null || value.isNull()) {
            return out;
        }
        if (!value.isArray()) {
            throw new CheckpointFormatException(INVALID_CONTENT, where + "." + field + " is not an array");
        }
        for (JsonNode element : value) {
            if (!element.isObject()) {
                throw new CheckpointFormatException(INVALID_CONTENT, where + "." + field + " holds a non-object");
            }
            out.add(element);
        }
        return out;
    }

    private static List<String> strings(JsonNode node, String field, String where) throws CheckpointFormatException {
        JsonNode value = node.get(field);
        List<String> out = new ArrayList<>();
        if (value == null || value.isNull()) {
            return out;
        }
        if (!value.isArray()) {
            throw new CheckpointFormatException(INVALID_CONTENT, where + "." + field + " is not an array of strings");
        }
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw new CheckpointFormatException(INVALID_CONTENT, where + "." + field + " holds a non-string");
            }
            out.add(element.textValue());
        }
        return out;
    }

    private static String text(JsonNode node, String field, String where) throws CheckpointFormatException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
            throw new CheckpointFormatException(INVALID_CONTENT, where + "." + field + " is missing or not a non-empty"
                    + " string");
        }
        return value.textValue();
    }

    private static String optionalText(JsonNode node, String field, String where) throws CheckpointFormatException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new CheckpointFormatException(INVALID_CONTENT, where + "." + field + " is not a string");
        }
        return value.textValue();
    }
}
