package io.alauda.dra.plugin.checkpoint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alauda.dra.plugin.api.KubeletDevice;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.alauda.dra.plugin.checkpoint.CheckpointRecovery.Reason.CHECKSUM_MISMATCH;
import static io.alauda.dra.plugin.checkpoint.CheckpointRecovery.Reason.INVALID_CONTENT;
import static io.alauda.dra.plugin.checkpoint.CheckpointRecovery.Reason.INVALID_JSON;
import static io.alauda.dra.plugin.checkpoint.CheckpointRecovery.Reason.UNSUPPORTED_SCHEMA_VERSION;

/**
 * The checkpoint's JSON format (docs/kubelet-plugin-protocol.md describes it for operators).
 *
 * <p>The checksum is SHA-256 (lower-case hex) over the canonical form of the document without its top-level
 * {@code checksum}: object keys sorted, no whitespace, Jackson's string escaping, integers in plain decimal. It is
 * computed over the parsed document, fields this version does not know included, so a file written by a newer
 * minor version with extra fields still verifies here. Floating-point numbers are not allowed in the format, because
 * their text form would not survive a parse/print round trip.
 */
final class CheckpointCodec {

    /** The schema this version writes. Readers accept this and every older schema (after migration). */
    static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper PARSER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final ObjectMapper CANONICAL = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private CheckpointCodec() {
    }

    static byte[] encode(CheckpointData data) {
        ObjectNode doc = NODES.objectNode();
        doc.put("schemaVersion", SCHEMA_VERSION);
        if (data.nodeBootId() != null) {
            doc.put("nodeBootId", data.nodeBootId());
        }
        ObjectNode claims = doc.putObject("claims");
        data.claims().forEach((uid, entry) -> claims.set(uid, encodeEntry(entry)));
        doc.put("checksum", checksum(doc));
        try {
            return PRETTY.writeValueAsBytes(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a checkpoint tree", e);
        }
    }

    static CheckpointData decode(byte[] content) throws CheckpointFormatException {
        ObjectNode doc = parseObject(content);
        verifyChecksum(doc);
        JsonNode version = doc.get("schemaVersion");
        if (version == null || !version.isInt()) {
            throw new CheckpointFormatException(INVALID_CONTENT, "schemaVersion is missing or not an integer");
        }
        if (version.intValue() > SCHEMA_VERSION) {
            throw new CheckpointFormatException(UNSUPPORTED_SCHEMA_VERSION, "schemaVersion " + version.intValue()
                    + " was written by a newer plugin; this one reads up to " + SCHEMA_VERSION);
        }
        if (version.intValue() < 1) {
            throw new CheckpointFormatException(INVALID_CONTENT, "schemaVersion " + version.intValue() + " is not valid");
        }
        return readCurrent(migrateToCurrent(doc, version.intValue()));
    }

    /**
     * Brings an older schema to the current one. Schema 1 is the first, so there is nothing to do yet; schema 2 will
     * add a step {@code 1 -> 2} here that rewrites the tree, and the store then writes the file back as schema 2.
     */
    private static ObjectNode migrateToCurrent(ObjectNode doc, int version) {
        return doc;
    }

    private static ObjectNode parseObject(byte[] content) throws CheckpointFormatException {
        JsonNode tree;
        try {
            tree = PARSER.readTree(content);
        } catch (JsonProcessingException e) {
            throw new CheckpointFormatException(INVALID_JSON, "not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at byte " + e.getLocation().getByteOffset()), e);
        } catch (IOException e) {
            throw new CheckpointFormatException(INVALID_JSON, "not valid JSON: " + e.getMessage(), e);
        }
        if (tree == null || tree.isMissingNode()) {
            throw new CheckpointFormatException(INVALID_JSON, "the file is empty");
        }
        if (!tree.isObject()) {
            throw new CheckpointFormatException(INVALID_JSON, "the top level is " + tree.getNodeType() + ", not an object");
        }
        return (ObjectNode) tree;
    }

    private static void verifyChecksum(ObjectNode doc) throws CheckpointFormatException {
        JsonNode stored = doc.get("checksum");
        if (stored == null || !stored.isTextual()) {
            throw new CheckpointFormatException(CHECKSUM_MISMATCH, "checksum is missing or not a string");
        }
        String actual = checksum(doc);
        if (!actual.equals(stored.textValue())) {
            throw new CheckpointFormatException(CHECKSUM_MISMATCH, "stored checksum " + stored.textValue()
                    + " does not match the content (" + actual + "); the file was changed or partly written");
        }
    }

    /** The checksum of {@code doc}, ignoring any {@code checksum} field it already has. */
    static String checksum(ObjectNode doc) {
        ObjectNode copy = doc.deepCopy();
        copy.remove("checksum");
        try {
            byte[] canonical = CANONICAL.writeValueAsBytes(sorted(copy));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot compute the checkpoint checksum", e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            node.fields().forEachRemaining(f -> fields.put(f.getKey(), sorted(f.getValue())));
            ObjectNode out = NODES.objectNode();
            fields.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode();
            node.forEach(element -> out.add(sorted(element)));
            return out;
        }
        return node;
    }

    private static ObjectNode encodeEntry(CheckpointEntry entry) {
        ObjectNode node = NODES.objectNode();
        node.put("state", entry.state().jsonName());
        node.put("namespace", entry.namespace());
        node.put("name", entry.name());
        ArrayNode devices = node.putArray("devices");
        for (KubeletDevice device : entry.devices()) {
            ObjectNode d = devices.addObject();
            addAll(d.putArray("requestNames"), device.requestNames());
            d.put("poolName", device.poolName());
            d.put("deviceName", device.deviceName());
            addAll(d.putArray("cdiDeviceIds"), device.cdiDeviceIds());
            if (device.shareId() != null) {
                d.put("shareId", device.shareId());
            }
        }
        node.put("updatedAt", entry.updatedAt().toString());
        if (!entry.sharing().isEmpty()) {
            // Only when there is any: entries without sharing stay as schema 1 always wrote them.
            node.set("sharing", SharingCodec.encode(entry.sharing()));
        }
        return node;
    }

    private static void addAll(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static CheckpointData readCurrent(ObjectNode doc) throws CheckpointFormatException {
        String bootId = optionalText(doc, "nodeBootId", "nodeBootId");
        JsonNode claimsNode = doc.get("claims");
        if (claimsNode == null || !claimsNode.isObject()) {
            throw new CheckpointFormatException(INVALID_CONTENT, "claims is missing or not an object");
        }
        Map<String, CheckpointEntry> claims = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = claimsNode.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().isBlank()) {
                throw new CheckpointFormatException(INVALID_CONTENT, "claims has an entry with an empty claim UID");
            }
            claims.put(field.getKey(), readEntry(field.getValue(), "claims." + field.getKey()));
        }
        return new CheckpointData(bootId == null || bootId.isEmpty() ? null : bootId, claims);
    }

    private static CheckpointEntry readEntry(JsonNode node, String where) throws CheckpointFormatException {
        if (!node.isObject()) {
            throw new CheckpointFormatException(INVALID_CONTENT, where + " is not an object");
        }
        String stateName = requiredText(node, "state", where);
        EntryState state = EntryState.fromJson(stateName).orElseThrow(() -> new CheckpointFormatException(
                INVALID_CONTENT, where + ".state '" + stateName + "' is neither PrepareStarted nor PrepareCompleted"));
        String namespace = requiredText(node, "namespace", where);
        String name = requiredText(node, "name", where);
        String updatedAtText = requiredText(node, "updatedAt", where);
        Instant updatedAt;
        try {
            updatedAt = Instant.parse(updatedAtText);
        } catch (DateTimeParseException e) {
            throw new CheckpointFormatException(INVALID_CONTENT, where + ".updatedAt '" + updatedAtText
                    + "' is not an ISO-8601 instant", e);
        }
        List<KubeletDevice> devices = new ArrayList<>();
        JsonNode devicesNode = node.get("devices");
        if (devicesNode != null && !devicesNode.isNull()) {
            if (!devicesNode.isArray()) {
                throw new CheckpointFormatException(INVALID_CONTENT, where + ".devices is not an array");
            }
            for (int i = 0; i < devicesNode.size(); i++) {
                devices.add(readDevice(devicesNode.get(i), where + ".devices[" + i + "]"));
            }
        }
        JsonNode sharing = node.get("sharing");
        SharingRecord record = sharing == null || sharing.isNull() ? SharingRecord.NONE
                : SharingCodec.decode(sharing, where + ".sharing");
        return new CheckpointEntry(state, namespace, name, devices, updatedAt, record);
    }

    private static KubeletDevice readDevice(JsonNode node, String where) throws CheckpointFormatException {
        if (!node.isObject()) {
            throw new CheckpointFormatException(INVALID_CONTENT, where + " is not an object");
        }
        try {
            return new KubeletDevice(stringList(node, "requestNames", where), requiredText(node, "poolName", where),
                    requiredText(node, "deviceName", where), stringList(node, "cdiDeviceIds", where),
                    optionalText(node, "shareId", where + ".shareId"));
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(INVALID_CONTENT, where + ": " + e.getMessage(), e);
        }
    }

    private static String requiredText(JsonNode node, String field, String where) throws CheckpointFormatException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
            throw new CheckpointFormatException(INVALID_CONTENT, where + "." + field + " is missing or not a non-empty string");
        }
        return value.textValue();
    }

    private static String optionalText(JsonNode node, String field, String where) throws CheckpointFormatException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new CheckpointFormatException(INVALID_CONTENT, where + " is not a string");
        }
        return value.textValue();
    }

    private static List<String> stringList(JsonNode node, String field, String where) throws CheckpointFormatException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new CheckpointFormatException(INVALID_CONTENT, where + "." + field + " is not an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw new CheckpointFormatException(INVALID_CONTENT, where + "." + field + " holds a non-string value");
            }
            out.add(element.textValue());
        }
        return out;
    }
}
