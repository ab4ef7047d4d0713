package io.alauda.dra.delivery;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The committed install files are what the code generates today: regenerates the plain manifests and the bundle
 * from this build's target/kubernetes into target/delivery-check and compares byte for byte. An {@code @RBACRule},
 * CRD field, sample or version change without {@code make manifests bundle} fails here. (An IT, because the build
 * output it reads is written by {@code package}, after the unit tests.)
 */
class DeliveryFilesIT {

    private static final Path ROOT = Path.of("").toAbsolutePath();

    @Test
    void committedManifestsMatchAFreshGeneration() throws IOException {
        DeliveryConfig config = DeliveryConfig.fromSystemProperties(ROOT);
        Path out = ROOT.resolve("target/delivery-check");
        Path fresh = DeliveryGenerator.manifests(config, BuildOutput.read(config.target()), out);
        assertSame(ROOT.resolve(Install.MANIFESTS_FILE), fresh, "make manifests");
    }

    @Test
    void committedBundleMatchesAFreshGeneration() throws IOException {
        DeliveryConfig config = DeliveryConfig.fromSystemProperties(ROOT);
        Path out = ROOT.resolve("target/delivery-check");
        Path fresh = DeliveryGenerator.bundle(config, BuildOutput.read(config.target()), out);
        List<String> committed = relativeFiles(ROOT.resolve(Install.BUNDLE_DIR));
        assertEquals(relativeFiles(fresh), committed, "bundle/ holds other files than make bundle writes: run make bundle");
        for (String file : committed) {
            assertSame(ROOT.resolve(Install.BUNDLE_DIR).resolve(file), fresh.resolve(file), "make bundle");
        }
        assertEquals(List.of(), new BundleValidator(false).validate(fresh));
    }

    private static void assertSame(Path committed, Path fresh, String fix) throws IOException {
        List<String> want = Files.readAllLines(fresh);
        List<String> have = Files.exists(committed) ? Files.readAllLines(committed) : List.of();
        if (want.equals(have)) {
            return;
        }
        int line = 0;
        while (line < want.size() && line < have.size() && want.get(line).equals(have.get(line))) {
            line++;
        }
        fail(ROOT.relativize(committed) + " is out of date: run `" + fix + "` and commit the result. First difference at line "
                + (line + 1) + ":\n  committed: " + (line < have.size() ? have.get(line) : "<end of file>")
                + "\n  generated: " + (line < want.size() ? want.get(line) : "<end of file>"));
    }

    private static List<String> relativeFiles(Path dir) throws IOException {
        List<String> result = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile).forEach(f -> result.add(dir.relativize(f).toString()));
        }
        result.sort(null);
        return result;
    }
}
