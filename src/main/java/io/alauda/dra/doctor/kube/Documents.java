package io.alauda.dra.doctor.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads Kubernetes objects from YAML or JSON files as `kubectl get -o yaml` writes them: several documents per file,
 * {@code kind: List} (or {@code *List}) items flattened, a directory read file by file ({@code .yaml}, {@code .yml},
 * {@code .json}, sorted by name).
 */
public final class Documents {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Documents() {
    }

    public static List<Map<String, Object>> read(Path path) throws InputException {
        if (Files.isDirectory(path)) {
            List<Map<String, Object>> out = new ArrayList<>();
            try (Stream<Path> files = Files.list(path)) {
                for (Path f : files.filter(Documents::objectFile).sorted().toList()) {
                    out.addAll(readFile(f));
                }
            } catch (IOException e) {
                throw new InputException(path + ": cannot list the directory: " + e.getMessage());
            }
            return out;
        }
        if (!Files.isRegularFile(path)) {
            throw new InputException(path + ": no such file or directory");
        }
        return readFile(path);
    }

    private static boolean objectFile(Path p) {
        String n = p.getFileName().toString();
        return Files.isRegularFile(p) && (n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> readFile(Path path) throws InputException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (MappingIterator<Object> it = YAML.readerFor(Object.class).readValues(path.toFile())) {
            while (it.hasNext()) {
                Object doc = it.next();
                if (doc == null) {
                    continue;
                }
                if (!(doc instanceof Map<?, ?> m)) {
                    throw new InputException(path + ": a document is not a Kubernetes object (a mapping with kind:)");
                }
                flatten((Map<String, Object>) m, out);
            }
        } catch (JsonProcessingException e) {
            throw invalid(path, e);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof JsonProcessingException j) {
                throw invalid(path, j);
            }
            throw new InputException(path + ": cannot read: " + e.getMessage());
        } catch (IOException e) {
            throw new InputException(path + ": cannot read: " + e.getMessage());
        }
        return out;
    }

    private static InputException invalid(Path path, JsonProcessingException e) {
        String first = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
        return new InputException(path + ": not valid YAML or JSON: " + first
                + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    }

    @SuppressWarnings("unchecked")
    private static void flatten(Map<String, Object> doc, List<Map<String, Object>> out) {
        String kind = KubeObjects.kind(doc);
        if (kind.endsWith("List") && doc.get("items") instanceof List<?> items) {
            for (Object item : items) {
                if (item instanceof Map<?, ?> m) {
                    flatten((Map<String, Object>) m, out);
                }
            }
            return;
        }
        out.add(doc);
    }
}
