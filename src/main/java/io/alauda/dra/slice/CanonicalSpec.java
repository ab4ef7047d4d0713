package io.alauda.dra.slice;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.AnyGetterWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerBuilder;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * A slice's spec in a form where "means the same to the API server" is plain equality:
 * <ul>
 *   <li>absent, null, empty list and empty map are one thing (the API omits empty fields);</li>
 *   <li>capacity quantities compare by amount ({@code 80Gi} equals {@code 81920Mi});</li>
 *   <li>a taint's {@code timeAdded} is ignored: the API server sets it, and we never write it;</li>
 *   <li>fields the fabric8 model does not know are ignored: a newer API server may default a field we never write,
 *       and comparing it would make us rewrite the slice on every sync.</li>
 * </ul>
 * Everything else counts, so a taint, an extra attribute or a reordered device list added by someone else is a
 * difference to repair.
 */
final class CanonicalSpec {

    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new SimpleModule().setSerializerModifier(
            new BeanSerializerModifier() {
                @Override
                public BeanSerializerBuilder updateBuilder(SerializationConfig config, BeanDescription description,
                                                           BeanSerializerBuilder builder) {
                    // Jackson 2.18+ also lists the any-getter among the properties
                    builder.setAnyGetter(null);
                    builder.setProperties(builder.getProperties().stream()
                            .filter(property -> !(property instanceof AnyGetterWriter)).toList());
                    return builder;
                }
            }));

    /** The only field of a slice's spec that the server fills in; it occurs in device taints alone. */
    private static final String SERVER_SET_TAINT_TIME = "timeAdded";

    private CanonicalSpec() {
    }

    static JsonNode of(HasMetadata slice) {
        JsonNode spec = MAPPER.valueToTree(slice).get("spec");
        JsonNode canonical = spec == null ? null : canonical(spec, false);
        return canonical == null ? JsonNodeFactory.instance.objectNode() : canonical;
    }

    /** @return the canonical node, or null when it is empty and so the same as absent */
    private static JsonNode canonical(JsonNode node, boolean capacityMap) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isArray()) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> {
                JsonNode value = canonical(element, false);
                array.add(value == null ? JsonNodeFactory.instance.nullNode() : value);
            });
            return array.isEmpty() ? null : array;
        }
        if (node.isObject()) {
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getKey().equals(SERVER_SET_TAINT_TIME)) {
                    continue;
                }
                JsonNode value = capacityMap ? canonicalCapacity(field.getValue())
                        : canonical(field.getValue(), field.getKey().equals("capacity"));
                if (value != null) {
                    object.set(field.getKey(), value);
                }
            }
            return object.isEmpty() ? null : object;
        }
        return node;
    }

    /** One entry of a {@code capacity} map: {@code {value: <quantity>, requestPolicy: ...}}. */
    private static JsonNode canonicalCapacity(JsonNode capacity) {
        JsonNode copy = canonical(capacity, false);
        if (copy instanceof ObjectNode object && object.get("value") != null && object.get("value").isTextual()) {
            object.put("value", amount(object.get("value").asText()));
        }
        return copy;
    }

    private static String amount(String quantity) {
        try {
            BigDecimal amount = new Quantity(quantity).getNumericalAmount();
            return amount.signum() == 0 ? "0" : amount.stripTrailingZeros().toPlainString();
        } catch (RuntimeException e) {
            // not a quantity the client understands: compare the text, which at worst repairs once
            return quantity;
        }
    }
}
