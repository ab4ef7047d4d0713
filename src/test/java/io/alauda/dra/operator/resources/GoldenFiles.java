package io.alauda.dra.operator.resources;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compares an object with a hand-reviewed YAML file under src/test/resources/golden. Run the tests with
 * {@code -Dgolden.write=true} to (re)write the files after a deliberate change, then read the diff before committing.
 */
public final class GoldenFiles {

    private static final Path DIR = Path.of("src/test/resources/golden");

    private GoldenFiles() {
    }

    public static void assertMatches(String file, HasMetadata object) throws IOException {
        assertMatches(file, Serialization.asYaml(object));
    }

    public static void assertMatches(String file, String actual) throws IOException {
        Path path = DIR.resolve(file);
        if (Boolean.getBoolean("golden.write")) {
            Files.createDirectories(path.getParent());
            Files.writeString(path, actual, StandardCharsets.UTF_8);
            return;
        }
        assertTrue(Files.exists(path), "golden file " + path + " is missing; write it with -Dgolden.write=true and review it");
        assertEquals(Files.readString(path, StandardCharsets.UTF_8), actual, "differs from " + path);
    }
}
