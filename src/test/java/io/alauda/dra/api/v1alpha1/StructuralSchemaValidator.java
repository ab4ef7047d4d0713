package io.alauda.dra.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks an object against a CRD's openAPIV3Schema the way the API server does for the parts this CRD uses: type,
 * enum, pattern, maxLength, maxItems, minimum/maximum, min/maxProperties, required, properties, additionalProperties, items,
 * int-or-string, and the x-kubernetes-validations CEL rules (evaluated with Google's CEL engine, {@code self} bound to
 * the value). Unknown fields are pruned by the API server, not refused, so they are reported separately.
 */
final class StructuralSchemaValidator {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS).addVar("self", SimpleType.DYN).build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

    private final List<String> errors = new ArrayList<>();
    private final List<String> pruned = new ArrayList<>();

    static StructuralSchemaValidator validate(JsonNode value, JsonNode schema) {
        StructuralSchemaValidator v = new StructuralSchemaValidator();
        v.check("", value, schema);
        return v;
    }

    List<String> errors() {
        return errors;
    }

    List<String> pruned() {
        return pruned;
    }

    private void check(String path, JsonNode value, JsonNode schema) {
        if (value == null || value.isNull()) {
            if (!schema.path("nullable").asBoolean(false)) {
                errors.add(path + ": must not be null");
            }
            return;
        }
        if (!typeMatches(value, schema)) {
            errors.add(path + ": must be of type " + (schema.path("x-kubernetes-int-or-string").asBoolean() ? "int-or-string" : schema.path("type").asText()));
            return;
        }
        if (schema.has("enum") && !contains(schema.get("enum"), value)) {
            errors.add(path + ": Unsupported value " + value + ", supported values: " + schema.get("enum"));
        }
        if (schema.has("pattern") && value.isTextual() && !Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find()) {
            errors.add(path + ": should match '" + schema.get("pattern").asText() + "'");
        }
        if (schema.has("maxLength") && value.isTextual() && value.asText().length() > schema.get("maxLength").asInt()) {
            errors.add(path + ": Too long: may not be more than " + schema.get("maxLength").asInt() + " bytes");
        }
        if (schema.has("maxItems") && value.isArray() && value.size() > schema.get("maxItems").asInt()) {
            errors.add(path + ": Too many: " + value.size() + ": must have at most " + schema.get("maxItems").asInt() + " items");
        }
        if (schema.has("minimum") && value.isNumber() && value.asDouble() < schema.get("minimum").asDouble()) {
            errors.add(path + ": should be greater than or equal to " + schema.get("minimum").asText());
        }
        if (schema.has("maximum") && value.isNumber() && value.asDouble() > schema.get("maximum").asDouble()) {
            errors.add(path + ": should be less than or equal to " + schema.get("maximum").asText());
        }
        if (value.isObject()) {
            object(path, value, schema);
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(path + "[" + i + "]", value.get(i), schema.get("items"));
            }
        }
        if (schema.has("x-kubernetes-validations")) {
            for (JsonNode rule : schema.get("x-kubernetes-validations")) {
                if (!evaluate(rule.get("rule").asText(), escaped(value, schema))) {
                    errors.add(path + rule.path("fieldPath").asText("") + ": Invalid value: " + rule.path("message").asText(rule.get("rule").asText()));
                }
            }
        }
    }

    private void object(String path, JsonNode value, JsonNode schema) {
        if (schema.has("minProperties") && value.size() < schema.get("minProperties").asInt()) {
            errors.add(path + ": should have at least " + schema.get("minProperties").asInt() + " properties");
        }
        if (schema.has("maxProperties") && value.size() > schema.get("maxProperties").asInt()) {
            errors.add(path + ": should have at most " + schema.get("maxProperties").asInt() + " properties");
        }
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                errors.add(path + "." + required.asText() + ": Required value");
            }
        }
        JsonNode properties = schema.get("properties");
        JsonNode additional = schema.get("additionalProperties");
        boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String child = path + "." + field.getKey();
            if (properties != null && properties.has(field.getKey())) {
                check(child, field.getValue(), properties.get(field.getKey()));
            } else if (additional != null && additional.isObject()) {
                check(child, field.getValue(), additional);
            } else if (!preserve && !(path.isEmpty() && (field.getKey().equals("apiVersion") || field.getKey().equals("kind")
                    || field.getKey().equals("metadata")))) {
                pruned.add(child);
            }
        }
    }

    private static boolean typeMatches(JsonNode value, JsonNode schema) {
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            return value.isIntegralNumber() || value.isTextual();
        }
        return switch (schema.path("type").asText("")) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> true;
        };
    }

    private static boolean contains(JsonNode allowed, JsonNode value) {
        for (JsonNode a : allowed) {
            if (a.equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** The API server's CEL names a property that is a CEL reserved word __word__ (self.__namespace__). */
    private static final java.util.Set<String> RESERVED = java.util.Set.of("true", "false", "null", "in", "as", "break", "const",
            "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return", "var",
            "void", "while");

    private static JsonNode escaped(JsonNode value, JsonNode schema) {
        if (!value.isObject() || !schema.has("properties")) {
            return value;
        }
        com.fasterxml.jackson.databind.node.ObjectNode copy = MAPPER.createObjectNode();
        value.fields().forEachRemaining(e -> copy.set(RESERVED.contains(e.getKey()) ? "__" + e.getKey() + "__" : e.getKey(), e.getValue()));
        return copy;
    }

    private static boolean evaluate(String rule, JsonNode self) {
        try {
            CelAbstractSyntaxTree ast = COMPILER.compile(rule).getAst();
            Object result = RUNTIME.createProgram(ast).eval(Map.of("self", MAPPER.convertValue(self, Object.class)));
            return Boolean.TRUE.equals(result);
        } catch (Exception e) {
            throw new IllegalStateException("CEL rule does not compile or evaluate: " + rule + ": " + e.getMessage(), e);
        }
    }
}
