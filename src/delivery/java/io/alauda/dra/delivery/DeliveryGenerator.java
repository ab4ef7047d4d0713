package io.alauda.dra.delivery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code make manifests} and {@code make bundle}: writes the plain install manifests and the OLM bundle from the
 * build output (target/kubernetes, written by {@code mvn package}) and the code. Run through Maven
 * ({@code mvn -Pdelivery package -DskipTests -Ddelivery.args=manifests|bundle|all}), which puts the test classpath
 * and the version on it. The tests call {@link #manifests} and {@link #bundle} with another output directory and
 * compare with the committed files.
 */
public final class DeliveryGenerator {

    private DeliveryGenerator() {
    }

    public static void main(String[] args) throws IOException {
        String what = args.length == 0 || args[0].isBlank() ? "all" : args[0].trim();
        Path root = Path.of("").toAbsolutePath();
        DeliveryConfig config = DeliveryConfig.fromSystemProperties(root);
        BuildOutput build = BuildOutput.read(config.target());
        switch (what) {
            case "manifests" -> report(manifests(config, build, root));
            case "bundle" -> report(bundle(config, build, root));
            case "all" -> {
                report(manifests(config, build, root));
                report(bundle(config, build, root));
            }
            default -> throw new IllegalArgumentException("usage: DeliveryGenerator manifests|bundle|all, got '" + what + "'");
        }
    }

    /** Writes deploy/install/nvidia-dra-driver-operator.yaml under {@code outputRoot}; returns the file. */
    public static Path manifests(DeliveryConfig config, BuildOutput build, Path outputRoot) throws IOException {
        Path file = outputRoot.resolve(Install.MANIFESTS_FILE);
        write(file, PlainManifests.render(config, build));
        return file;
    }

    /** Writes bundle/ under {@code outputRoot} (files of an older layout are removed first); returns the directory. */
    public static Path bundle(DeliveryConfig config, BuildOutput build, Path outputRoot) throws IOException {
        Path dir = outputRoot.resolve(Install.BUNDLE_DIR);
        deleteTree(dir);
        for (Map.Entry<String, String> file : OlmBundle.files(config, build).entrySet()) {
            write(dir.resolve(file.getKey()), file.getValue());
        }
        return dir;
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void report(Path written) {
        System.out.println("wrote " + Path.of("").toAbsolutePath().relativize(written.toAbsolutePath()));
    }
}
