package io.alauda.dra.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.UncheckedIOException;
import java.util.List;

/**
 * One YAML style for every generated file: block style, quotes only where YAML needs them (strings that read as
 * numbers or booleans stay quoted), multi-line strings as literal blocks, keys in the order the model or the source
 * file gives them. The same input always renders to the same bytes, which the drift tests rely on.
 */
public final class Yaml {

    static final ObjectMapper READER = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper WRITER = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final ObjectMapper PRETTY_JSON = new ObjectMapper();
    private static final DefaultPrettyPrinter PRINTER = new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withArrayEmptySeparator("")
            .withObjectEmptySeparator(""))
            .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
            .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));

    private Yaml() {
    }

    /** A fabric8 model object (or any bean) as a JSON tree, with fabric8's own serialisation rules. */
    public static ObjectNode tree(Object model) {
        try {
            return (ObjectNode) JSON.readTree(Serialization.asJson(model));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String write(JsonNode node) {
        try {
            return WRITER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Documents separated by {@code ---}, after an optional comment header. */
    public static String documents(String header, List<? extends JsonNode> docs) {
        StringBuilder out = new StringBuilder(header);
        for (JsonNode doc : docs) {
            out.append("---\n").append(write(doc));
        }
        return out.toString();
    }

    public static String prettyJson(JsonNode node) {
        try {
            return PRETTY_JSON.writer(PRINTER).writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode parse(String yaml) {
        try {
            return READER.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
