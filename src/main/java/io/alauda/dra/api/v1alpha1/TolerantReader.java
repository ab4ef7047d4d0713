package io.alauda.dra.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Reads a part of an NvidiaDraDriver (spec or status) so that no content makes the read fail. The API server refuses
 * most bad content through the CRD schema, but a CRD of another version (a downgrade, an object stored under a newer
 * CRD, a CRD edited by hand) lets it through; a read that fails inside the informer ends the operator's watch for
 * every NvidiaDraDriver (fabric8 stops an informer on a deserialisation error). So the part is read strictly, and each
 * value that cannot be read is noted with its field and the fix, then dropped so that the field keeps its default,
 * and the read is tried again. The caller decides what the notes mean: the spec is refused, the status rewritten.
 */
final class TolerantReader {

    /** Each round drops at least one node, so this only bounds absurd objects. */
    private static final int MAX_ROUNDS = 64;
    private static final int MAX_SHOWN = 60;
    private static final ObjectMapper FALLBACK = new ObjectMapper();

    /** @param cleaned what was read in the end: the part without the values that were dropped */
    record Result<T>(T value, List<String> problems, JsonNode cleaned) {
    }

    private TolerantReader() {
    }

    /**
     * @param root the field the part sits in, e.g. {@code spec}, for the problems' field paths
     * @param fallback the value when the part cannot be read at all (it is not an object)
     */
    static <T> Result<T> read(JsonParser p, JsonNode tree, Class<T> type, String root, Supplier<T> fallback) {
        List<String> problems = new ArrayList<>();
        if (!tree.isObject()) {
            problems.add(root + " must be an object, not " + describe(tree) + "; write " + root + ": {} to take every default");
            return new Result<>(fallback.get(), problems, null);
        }
        ObjectNode copy = ((ObjectNode) tree).deepCopy();
        dropNulls(copy, root, problems);
        ObjectReader reader = strictReader(p, type);
        for (int round = 0; round < MAX_ROUNDS; round++) {
            try {
                return new Result<>(reader.readValue(copy), problems, copy);
            } catch (JsonMappingException e) {
                problems.add(problem(e, copy, root));
                if (!drop(copy, e.getPath())) {
                    break;
                }
            } catch (Exception e) {
                problems.add(root + " could not be read: " + firstLine(e.getMessage()));
                break;
            }
        }
        return new Result<>(fallback.get(), problems, null);
    }

    /**
     * The reader of the client that is reading the object (so fabric8's types inside read as they always do), made
     * strict: unknown fields, unknown enum values, enum values given as numbers and fractions in whole-number fields
     * are problems, not silently dropped, mapped or truncated, whatever the client's own settings are.
     */
    static <T> ObjectReader strictReader(JsonParser p, Class<T> type) {
        ObjectCodec codec = p == null ? null : p.getCodec();
        ObjectReader base = codec instanceof ObjectMapper mapper ? mapper.reader()
                : codec instanceof ObjectReader reader ? reader : FALLBACK.reader();
        return base.forType(type).withValueToUpdate(null)
                .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .without(DeserializationFeature.ACCEPT_FLOAT_AS_INT,
                        DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY,
                        DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL,
                        DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE);
    }

    /**
     * Members whose value is null go, as the API server prunes them for fields that are not nullable: the field takes
     * its default. A null list entry is a problem (the server would refuse it) and goes too.
     */
    private static void dropNulls(JsonNode node, String path, List<String> problems) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isNull()) {
                    fields.remove();
                } else {
                    dropNulls(field.getValue(), path + "." + field.getKey(), problems);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = array.size() - 1; i >= 0; i--) {
                if (array.get(i).isNull()) {
                    problems.add(path + "[" + i + "] is null; remove the empty entry");
                    array.remove(i);
                }
            }
            for (int i = 0; i < array.size(); i++) {
                dropNulls(array.get(i), path + "[" + i + "]", problems);
            }
        }
    }

    /** Removes the deepest node on the failed path that exists; false when there is none (no progress possible). */
    private static boolean drop(JsonNode tree, List<JsonMappingException.Reference> path) {
        JsonNode parent = null;
        JsonNode current = tree;
        JsonMappingException.Reference last = null;
        for (JsonMappingException.Reference step : path) {
            JsonNode next = child(current, step);
            if (next == null) {
                break;
            }
            parent = current;
            current = next;
            last = step;
        }
        if (parent instanceof ObjectNode object && last != null && last.getFieldName() != null) {
            return object.remove(last.getFieldName()) != null;
        }
        if (parent instanceof ArrayNode array && last != null && last.getIndex() >= 0) {
            array.remove(last.getIndex());
            return true;
        }
        return false;
    }

    private static JsonNode child(JsonNode node, JsonMappingException.Reference step) {
        if (node instanceof ObjectNode object && step.getFieldName() != null) {
            return object.get(step.getFieldName());
        }
        if (node instanceof ArrayNode array && step.getIndex() >= 0 && step.getIndex() < array.size()) {
            return array.get(step.getIndex());
        }
        return null;
    }

    /** One problem, naming the field and the fix. */
    static String problem(JsonMappingException e, JsonNode tree, String root) {
        String field = path(root, e.getPath());
        JsonNode value = nodeAt(tree, e.getPath());
        if (e instanceof UnrecognizedPropertyException unknown) {
            return field + " is not a field this operator version knows (the CRD it came through may be newer than the "
                    + "operator); remove it, or run the operator version that has it" + known(unknown.getKnownPropertyIds());
        }
        Class<?> target = e instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
        InputCoercionException overflow = cause(e, InputCoercionException.class);
        if (overflow != null) {
            Class<?> numberType = overflow.getTargetType();
            return field + " is " + describe(value) + ", which does not fit a "
                    + (numberType == long.class || numberType == Long.class ? "64" : "32") + "-bit integer; " + range(e.getPath());
        }
        if (target != null && target.isEnum()) {
            return field + " is " + describe(value) + ", which is not one of " + String.join(", ", enumValues(target))
                    + "; use one of those (values are case-sensitive)";
        }
        if (target != null) {
            String expected = expected(target);
            String hint = isWholeNumber(target) && value != null && value.isNumber() ? "; " + range(e.getPath()) : "";
            return field + " must be " + expected + ", not " + describe(value) + hint;
        }
        return field + " could not be read: " + firstLine(e.getOriginalMessage());
    }

    static String path(String root, List<JsonMappingException.Reference> path) {
        StringBuilder sb = new StringBuilder(root);
        for (JsonMappingException.Reference step : path) {
            if (step.getFieldName() != null) {
                sb.append('.').append(step.getFieldName());
            } else if (step.getIndex() >= 0) {
                sb.append('[').append(step.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static JsonNode nodeAt(JsonNode tree, List<JsonMappingException.Reference> path) {
        JsonNode current = tree;
        for (JsonMappingException.Reference step : path) {
            current = child(current, step);
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    private static String describe(JsonNode value) {
        if (value == null) {
            return "a value of another type";
        }
        String text;
        switch (value.getNodeType()) {
            case STRING -> text = "the string '" + shorten(value.asText()) + "'";
            case NUMBER -> text = "the number " + shorten(value.asText());
            case BOOLEAN -> text = value.asText();
            case ARRAY -> text = "a list";
            case OBJECT -> text = "an object";
            case NULL -> text = "null";
            default -> text = "a " + value.getNodeType().name().toLowerCase() + " value";
        }
        return text;
    }

    private static String expected(Class<?> target) {
        if (target == String.class) {
            return "a string";
        }
        if (target == boolean.class || target == Boolean.class) {
            return "true or false";
        }
        if (isWholeNumber(target)) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(target) || target == double.class || target == float.class) {
            return "a number";
        }
        if (Map.class.isAssignableFrom(target)) {
            return "an object of key: value pairs";
        }
        if (Collection.class.isAssignableFrom(target) || target.isArray()) {
            return "a list";
        }
        return "an object";
    }

    private static boolean isWholeNumber(Class<?> type) {
        return type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class;
    }

    /** The range the schema allows (the field's @Min and @Max), for the fix of a number out of range. */
    private static String range(List<JsonMappingException.Reference> path) {
        if (!path.isEmpty()) {
            JsonMappingException.Reference last = path.get(path.size() - 1);
            Object from = last.getFrom();
            Class<?> owner = from instanceof Class<?> c ? c : from == null ? null : from.getClass();
            if (owner != null && last.getFieldName() != null) {
                try {
                    Field f = owner.getField(last.getFieldName());
                    Min min = f.getAnnotation(Min.class);
                    Max max = f.getAnnotation(Max.class);
                    if (min != null && max != null) {
                        return "use a number from " + (long) min.value() + " to " + (long) max.value();
                    }
                } catch (NoSuchFieldException e) {
                    // not one of this API's fields: no range to tell
                }
            }
        }
        return "use a smaller number";
    }

    static List<String> enumValues(Class<?> type) {
        List<String> values = new ArrayList<>();
        Method jsonValue = null;
        for (Method m : type.getMethods()) {
            if (m.isAnnotationPresent(JsonValue.class) && m.getParameterCount() == 0) {
                jsonValue = m;
            }
        }
        for (Object constant : type.getEnumConstants()) {
            try {
                values.add(jsonValue == null ? ((Enum<?>) constant).name() : String.valueOf(jsonValue.invoke(constant)));
            } catch (ReflectiveOperationException e) {
                values.add(((Enum<?>) constant).name());
            }
        }
        return values;
    }

    private static String known(Collection<Object> ids) {
        if (ids == null || ids.isEmpty()) {
            return "";
        }
        TreeSet<String> names = new TreeSet<>();
        ids.forEach(id -> names.add(String.valueOf(id)));
        return "; the fields known here are " + String.join(", ", names);
    }

    private static <E extends Throwable> E cause(Throwable t, Class<E> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static String shorten(String text) {
        return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "...";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int end = message.indexOf('\n');
        return shorten(end < 0 ? message : message.substring(0, end));
    }
}
