package io.alauda.dra.slice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Compares an object, as fabric8 writes it to YAML, with a hand-written file under src/test/resources/slice. The
 * comparison is of the parsed trees, so the files may use flow style and comments; there is deliberately no switch
 * to rewrite them from the output.
 */
final class SliceGolden {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private SliceGolden() {
    }

    static void assertMatches(String file, HasMetadata actual) throws IOException {
        JsonNode expected;
        try (InputStream in = SliceGolden.class.getResourceAsStream("/slice/" + file)) {
            assertNotNull(in, "golden file src/test/resources/slice/" + file + " is missing");
            expected = YAML.readTree(in);
        }
        String rendered = Serialization.asYaml(actual);
        assertEquals(expected, YAML.readTree(rendered), () -> "differs from slice/" + file + "; rendered:\n" + rendered);
    }
}
