package io.alauda.dra.plugin.prepare;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Decodes {@code opaque.parameters} of this driver's configs strictly, as upstream's strict decoder does: the object
 * must be {@code apiVersion: resource.nvidia.com/v1beta1} of a kind this driver knows, every field must be one that
 * kind has, with the right type and an allowed value. Each problem is reported with the full field path in the
 * ResourceClaim ({@code status.allocation.devices.config[2].opaque.parameters.sharing.strategy}) and what is accepted
 * there.
 */
final class OpaqueConfigDecoder {

    static final List<String> STRATEGIES = List.of("TimeSlicing", "MPS");
    static final List<String> INTERVALS = List.of("Default", "Short", "Medium", "Long");
    private static final List<String> GPU_CONFIG_FIELDS = List.of("apiVersion", "kind", "sharing");
    private static final List<String> MIG_CONFIG_FIELDS = List.of("apiVersion", "kind", "sharing");
    private static final List<String> GPU_SHARING_FIELDS = List.of("strategy", "timeSlicingConfig", "mpsConfig");
    private static final List<String> MIG_SHARING_FIELDS = List.of("strategy", "mpsConfig");
    private static final List<String> TIME_SLICING_FIELDS = List.of("interval");
    private static final List<String> MPS_FIELDS = List.of("defaultActiveThreadPercentage",
            "defaultPinnedDeviceMemoryLimit", "defaultPerDevicePinnedMemoryLimit", "multiUser");
    private static final String SUPPORTED = "GpuConfig or MigDeviceConfig with apiVersion " + OpaqueDeviceConfig.API_VERSION;
    /** Kubernetes quantity syntax (apimachinery resource.Quantity). */
    private static final Pattern QUANTITY =
            Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?[0-9]+)?");
    private static final BigDecimal MIB = BigDecimal.valueOf(1024L * 1024L);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private OpaqueConfigDecoder() {
    }

    /**
     * @param configIndex    index in {@code status.allocation.devices.config}
     * @param parametersJson the {@code opaque.parameters} object as JSON, or null when absent
     */
    static OpaqueDeviceConfig decode(int configIndex, String parametersJson) throws ClaimFailure {
        String path = ConfigPaths.parameters(configIndex);
        if (parametersJson == null) {
            throw invalid(path + " is missing; give an object of kind " + SUPPORTED);
        }
        JsonNode root;
        try {
            root = JSON.readTree(parametersJson);
        } catch (JsonProcessingException e) {
            throw invalid(path + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw invalid(path + " must be an object of kind " + SUPPORTED + ", got " + describe(root));
        }
        String apiVersion = requiredText(root, path, "apiVersion");
        String kindName = requiredText(root, path, "kind");
        if (!OpaqueDeviceConfig.API_VERSION.equals(apiVersion)) {
            throw invalid(path + ".apiVersion '" + Printable.of(apiVersion) + "' is not supported; use "
                    + OpaqueDeviceConfig.API_VERSION + " (kinds GpuConfig, MigDeviceConfig)");
        }
        OpaqueDeviceConfig.Kind kind = OpaqueDeviceConfig.Kind.parse(kindName).orElseThrow(() ->
                invalid(path + ".kind '" + Printable.of(kindName) + "' is not supported by this driver version;"
                        + " supported kinds: GpuConfig (full GPUs), MigDeviceConfig (MIG devices)" + unsupportedHint(kindName)));
        if (kind == OpaqueDeviceConfig.Kind.GPU_CONFIG) {
            onlyFields(root, path, GPU_CONFIG_FIELDS, "GpuConfig");
            return new OpaqueDeviceConfig(kind, sharing(root.get("sharing"), path + ".sharing", true));
        }
        onlyFields(root, path, MIG_CONFIG_FIELDS, "MigDeviceConfig");
        return new OpaqueDeviceConfig(kind, sharing(root.get("sharing"), path + ".sharing", false));
    }

    private static String unsupportedHint(String kind) {
        return switch (kind) {
            case "VfioDeviceConfig" -> "; GPU passthrough (VFIO) is not implemented by this driver";
            case "ComputeDomainChannelConfig", "ComputeDomainDaemonConfig" ->
                    "; ComputeDomain configs belong to the compute-domain.nvidia.com driver, not gpu.nvidia.com";
            default -> "";
        };
    }

    private static OpaqueDeviceConfig.Sharing sharing(JsonNode node, String path, boolean fullGpu) throws ClaimFailure {
        if (absent(node)) {
            return null;
        }
        requireObject(node, path);
        onlyFields(node, path, fullGpu ? GPU_SHARING_FIELDS : MIG_SHARING_FIELDS,
                fullGpu ? "GpuConfig.sharing" : "MigDeviceConfig.sharing (MIG devices cannot be time-sliced, so there is"
                        + " no timeSlicingConfig)");
        JsonNode strategyNode = node.get("strategy");
        String strategy = absent(strategyNode) ? "" : text(strategyNode, path + ".strategy");
        if (!STRATEGIES.contains(strategy)) {
            // Upstream: "unknown GPU sharing strategy: %v, supported GPU sharing strategies: %s, %s".
            throw invalid(path + ".strategy: unknown GPU sharing strategy: " + Printable.of(strategy)
                    + ", supported GPU sharing strategies: " + String.join(", ", STRATEGIES));
        }
        String interval = null;
        JsonNode timeSlicing = node.get("timeSlicingConfig");
        JsonNode mpsNode = node.get("mpsConfig");
        // Upstream finds these when it applies the config (GetTimeSlicingConfig, GetMpsConfig); the words are its own.
        if (strategy.equals("TimeSlicing") && !absent(mpsNode)) {
            throw invalid(path + ".mpsConfig: cannot use MpsConfig with the 'TimeSlicing' strategy; remove mpsConfig"
                    + " or use strategy MPS");
        }
        if (strategy.equals("MPS") && !absent(timeSlicing)) {
            throw invalid(path + ".timeSlicingConfig: cannot use TimeSlicingConfig with the 'MPS' strategy; remove"
                    + " timeSlicingConfig or use strategy TimeSlicing");
        }
        if (!absent(timeSlicing)) {
            String tsPath = path + ".timeSlicingConfig";
            requireObject(timeSlicing, tsPath);
            onlyFields(timeSlicing, tsPath, TIME_SLICING_FIELDS, "timeSlicingConfig");
            JsonNode intervalNode = timeSlicing.get("interval");
            if (!absent(intervalNode)) {
                interval = text(intervalNode, tsPath + ".interval");
                if (!INTERVALS.contains(interval)) {
                    throw invalid(tsPath + ".interval: unknown time-slice interval: " + Printable.of(interval)
                            + ", supported time-slice intervals: " + String.join(", ", INTERVALS));
                }
            }
        }
        OpaqueDeviceConfig.MpsSettings mps = absent(mpsNode) ? null : mps(mpsNode, path + ".mpsConfig");
        return new OpaqueDeviceConfig.Sharing(strategy, interval, mps);
    }

    private static OpaqueDeviceConfig.MpsSettings mps(JsonNode node, String path) throws ClaimFailure {
        requireObject(node, path);
        onlyFields(node, path, MPS_FIELDS, "mpsConfig");
        Integer percentage = null;
        JsonNode percentageNode = node.get("defaultActiveThreadPercentage");
        if (!absent(percentageNode)) {
            String p = path + ".defaultActiveThreadPercentage";
            if (!percentageNode.isIntegralNumber() || !percentageNode.canConvertToInt()) {
                throw invalid(p + " must be a whole number from 0 to 100, got " + describe(percentageNode));
            }
            percentage = percentageNode.intValue();
            if (percentage < 0) {
                throw invalid(p + ": active thread percentage must not be negative; give 0 to 100");
            }
            if (percentage > 100) {
                throw invalid(p + ": active thread percentage must not be greater than 100; give 0 to 100");
            }
        }
        Long defaultLimit = null;
        JsonNode defaultLimitNode = node.get("defaultPinnedDeviceMemoryLimit");
        if (!absent(defaultLimitNode)) {
            defaultLimit = memoryLimit(defaultLimitNode, path + ".defaultPinnedDeviceMemoryLimit", null);
        }
        Map<String, Long> perDevice = new LinkedHashMap<>();
        JsonNode perDeviceNode = node.get("defaultPerDevicePinnedMemoryLimit");
        if (!absent(perDeviceNode)) {
            String p = path + ".defaultPerDevicePinnedMemoryLimit";
            requireObject(perDeviceNode, p);
            Iterator<Map.Entry<String, JsonNode>> fields = perDeviceNode.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().isBlank()) {
                    throw invalid(p + " has an empty key; keys are device indexes (0, 1, ...) or UUIDs");
                }
                perDevice.put(field.getKey(), memoryLimit(field.getValue(), p + "." + Printable.of(field.getKey()),
                        field.getKey()));
            }
        }
        Boolean multiUser = null;
        JsonNode multiUserNode = node.get("multiUser");
        if (!absent(multiUserNode)) {
            if (!multiUserNode.isBoolean()) {
                throw invalid(path + ".multiUser must be true or false, got " + describe(multiUserNode));
            }
            multiUser = multiUserNode.booleanValue();
        }
        return new OpaqueDeviceConfig.MpsSettings(percentage, defaultLimit, perDevice, multiUser);
    }

    /**
     * A quantity of at least 1Mi, since MPS takes limits in whole MiB; upstream refuses smaller ones with "invalid
     * limit: default value set too low: %v" or, for a per-device entry, "invalid limit: value set too low: %v: %v".
     *
     * @param deviceKey the per-device key, or null for the default limit
     */
    private static long memoryLimit(JsonNode node, String path, String deviceKey) throws ClaimFailure {
        String value;
        if (node.isTextual()) {
            value = node.textValue();
        } else if (node.isIntegralNumber()) {
            value = node.asText();
        } else {
            throw invalid(path + " must be a quantity such as 1Gi or 512Mi, got " + describe(node));
        }
        if (!QUANTITY.matcher(value).matches()) {
            throw invalid(path + " '" + Printable.of(value) + "' is not a quantity; write it like 1Gi or 512Mi");
        }
        BigDecimal bytes;
        try {
            bytes = Quantity.getAmountInBytes(new Quantity(value));
        } catch (RuntimeException e) {
            throw invalid(path + " '" + Printable.of(value) + "' is not a quantity; write it like 1Gi or 512Mi");
        }
        if (bytes.compareTo(MIB) < 0) {
            String low = deviceKey == null ? "default value set too low: " + Printable.of(value)
                    : "value set too low: " + Printable.of(deviceKey) + ": " + Printable.of(value);
            throw invalid(path + ": invalid limit: " + low + "; MPS limits are whole MiB, so give at least 1Mi");
        }
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw invalid(path + " '" + Printable.of(value) + "' is too large");
        }
        return bytes.longValue();
    }

    private static String requiredText(JsonNode root, String path, String field) throws ClaimFailure {
        JsonNode node = root.get(field);
        if (absent(node)) {
            throw invalid(path + "." + field + " is missing; give a " + SUPPORTED);
        }
        return text(node, path + "." + field);
    }

    private static String text(JsonNode node, String path) throws ClaimFailure {
        if (!node.isTextual()) {
            throw invalid(path + " must be a string, got " + describe(node));
        }
        return node.textValue();
    }

    private static void requireObject(JsonNode node, String path) throws ClaimFailure {
        if (!node.isObject()) {
            throw invalid(path + " must be an object, got " + describe(node));
        }
    }

    private static void onlyFields(JsonNode node, String path, List<String> allowed, String owner) throws ClaimFailure {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw invalid(path + "." + Printable.of(name) + " is an unknown field; " + owner + " accepts only "
                        + String.join(", ", allowed) + " (check the spelling and the nesting)");
            }
        }
    }

    /** Go's decoder treats an explicit null like a missing field; so do we. */
    private static boolean absent(JsonNode node) {
        return node == null || node.isNull();
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        if (node.isTextual()) {
            return "the string '" + Printable.of(node.textValue()) + "'";
        }
        if (node.isNumber() || node.isBoolean()) {
            return node.getNodeType().name().toLowerCase() + " " + node.asText();
        }
        return "an " + node.getNodeType().name().toLowerCase();
    }

    private static ClaimFailure invalid(String message) {
        return new ClaimFailure(ClaimErrorType.INVALID_CONFIG, message);
    }
}
