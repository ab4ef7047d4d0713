package io.alauda.dra.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.crdv2.generator.CRDGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CRD generated from the Java classes (the same generator QOSDK runs at build time) accepts the good samples and
 * refuses each bad one with a message that names the field, as the API server would.
 */
class CrdSchemaTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static JsonNode crd;
    private static JsonNode schema;

    @BeforeAll
    static void generate(@TempDir Path dir) throws IOException {
        new CRDGenerator().customResourceClasses(NvidiaDraDriver.class).forCRDVersions("v1").inOutputDir(dir.toFile()).generate();
        crd = YAML.readTree(Files.readString(dir.resolve("nvidiadradrivers.dra.alauda.io-v1.yml")));
        schema = crd.at("/spec/versions/0/schema/openAPIV3Schema");
    }

    @Test
    void crdIsClusterScopedWithAShortNameAndStatusSubresource() {
        assertEquals("Cluster", crd.at("/spec/scope").asText());
        assertEquals("ndd", crd.at("/spec/names/shortNames/0").asText());
        assertTrue(crd.at("/spec/versions/0/subresources").has("status"));
        List<String> columns = new ArrayList<>();
        crd.at("/spec/versions/0/additionalPrinterColumns").forEach(c -> columns.add(c.get("name").asText()));
        assertTrue(columns.containsAll(List.of("Ready", "Nodes", "Age")), "printer columns: " + columns);
    }

    @Test
    void kubectlExplainHasADescriptionForTheKindItsSpecAndItsStatus() {
        assertEquals(NvidiaDraDriver.DESCRIPTION, schema.path("description").asText());
        assertFalse(schema.at("/properties/spec/description").asText().isEmpty(), "spec");
        assertFalse(schema.at("/properties/status/description").asText().isEmpty(), "status");
    }

    /**
     * The API server estimates each CEL rule's cost from these bounds and refuses a CRD whose rules could exceed the
     * budget; an unbounded value also lets a client store a huge object. Map keys are bounded by maxProperties.
     */
    @Test
    void everyStringListAndMapOfTheSchemaIsBounded() {
        List<String> unbounded = new ArrayList<>();
        unbounded("", schema, unbounded);
        assertEquals(List.of(), unbounded, "no maxLength / maxItems / maxProperties");
    }

    private static void unbounded(String path, JsonNode node, List<String> found) {
        boolean intOrString = node.path("x-kubernetes-int-or-string").asBoolean();
        String type = node.path("type").asText();
        if ((type.equals("string") || intOrString) && !node.has("maxLength") && !node.has("enum")) {
            found.add(path + " (string)");
        }
        if (type.equals("array") && !node.has("maxItems")) {
            found.add(path + " (array)");
        }
        if (type.equals("object") && node.has("additionalProperties") && !node.has("maxProperties")) {
            found.add(path + " (map)");
        }
        node.path("properties").fields().forEachRemaining(e -> {
            if (!(path.isEmpty() && (e.getKey().equals("metadata") || e.getKey().equals("apiVersion") || e.getKey().equals("kind")))) {
                unbounded(path + "." + e.getKey(), e.getValue(), found);
            }
        });
        if (node.has("items")) {
            unbounded(path + "[]", node.get("items"), found);
        }
        if (node.path("additionalProperties").isObject()) {
            unbounded(path + ".*", node.get("additionalProperties"), found);
        }
    }

    @Test
    void printerColumnsOfTheShippedCrdComeInTheOrderOfTheAnnotations() throws IOException {
        List<String> expected = new ArrayList<>();
        for (var column : NvidiaDraDriver.class.getAnnotationsByType(io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.class)) {
            expected.add(column.name());
        }
        for (Path shipped : List.of(Path.of("bundle/manifests/dra.alauda.io_nvidiadradrivers.yaml"), Path.of("deploy/install/nvidia-dra-driver-operator.yaml"))) {
            JsonNode shippedCrd = null;
            try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(shipped.toFile())) {
                while (docs.hasNext()) {
                    JsonNode doc = docs.next();
                    if ("CustomResourceDefinition".equals(doc.path("kind").asText())) {
                        shippedCrd = doc;
                    }
                }
            }
            assertTrue(shippedCrd != null, "no CRD in " + shipped);
            List<String> columns = new ArrayList<>();
            shippedCrd.at("/spec/versions/0/additionalPrinterColumns").forEach(c -> columns.add(c.get("name").asText()));
            assertEquals(expected, columns, shipped.toString());
        }
    }

    @Test
    void everySpecFieldHasADescription() {
        List<String> missing = new ArrayList<>();
        undocumented("spec", schema.at("/properties/spec"), missing);
        assertEquals(List.of(), missing, "kubectl explain shows nothing for these fields");
    }

    static Stream<String> goodSamples() {
        return Stream.of("default.yaml", "everything.yaml", "driver-container.yaml", "default-namespace-allowed.yaml");
    }

    @ParameterizedTest
    @MethodSource("goodSamples")
    void goodSamplesAreAccepted(String file) throws IOException {
        StructuralSchemaValidator result = StructuralSchemaValidator.validate(sample("good/" + file), schema);
        assertEquals(List.of(), result.errors(), file);
        assertEquals(List.of(), result.pruned(), file + ": fields the API server would drop silently");
    }

    @Test
    void theShippedSampleIsAccepted() throws IOException {
        JsonNode sample = YAML.readTree(Files.readString(Path.of("src/main/kubernetes/samples/nvidiadradriver.yaml")));
        StructuralSchemaValidator result = StructuralSchemaValidator.validate(sample, schema);
        assertEquals(List.of(), result.errors());
        assertEquals(List.of(), result.pruned());
    }

    static Stream<Arguments> badSamples() {
        return Stream.of(
                Arguments.of("relative-driver-root.yaml", ".spec.driverRoot: Invalid value: " + HostPaths.CLEAN_MESSAGE),
                Arguments.of("dotdot-cdi-root.yaml", ".spec.cdiRoot: Invalid value: " + HostPaths.CLEAN_MESSAGE),
                Arguments.of("cdi-root-double-slash.yaml", ".spec.cdiRoot: Invalid value: " + HostPaths.CLEAN_MESSAGE),
                Arguments.of("cdi-root-etc.yaml", ".spec.cdiRoot: Invalid value: must not be / or a top-level system directory"),
                Arguments.of("plugins-dir-usr.yaml", ".spec.kubeletPluginsDir: Invalid value: must not be / or a top-level system directory"),
                Arguments.of("registrar-dir-root.yaml", ".spec.kubeletRegistrarDir: Invalid value: must not be / or a top-level system directory"),
                Arguments.of("driver-root-proc.yaml", ".spec.driverRoot: Invalid value: must not lie under /proc, /sys or /dev"),
                Arguments.of("memory-in-mb.yaml", ".spec.kubeletPlugin.resources.limits.memory: should match"),
                Arguments.of("tag-without-repository.yaml", ".spec.image: Invalid value: spec.image.tag is set without spec.image.repository"),
                Arguments.of("default-namespace.yaml", ".spec.namespace: Invalid value: spec.namespace is 'default'"),
                Arguments.of("unknown-feature-gate.yaml", ".spec.featureGates: Invalid value: unknown feature gate; known gates are"),
                Arguments.of("exclusive-feature-gates.yaml", ".spec.featureGates: Invalid value: DynamicMIG and PassthroughSupport cannot both be true"),
                Arguments.of("metadata-without-passthrough.yaml", ".spec.featureGates: Invalid value: DeviceMetadata needs PassthroughSupport=true"),
                Arguments.of("healthcheck-port-zero.yaml", ".spec.kubeletPlugin.healthcheckPort: should be greater than or equal to 1"),
                Arguments.of("healthcheck-port-too-high.yaml", ".spec.kubeletPlugin.healthcheckPort: should be less than or equal to 65535"),
                Arguments.of("too-many-replicas.yaml", ".spec.controller.replicas: should be less than or equal to 5"),
                Arguments.of("bad-pull-policy.yaml", ".spec.image.pullPolicy: Unsupported value \"Sometimes\""),
                Arguments.of("bad-log-level.yaml", ".spec.logLevel: Unsupported value \"LOUD\""),
                Arguments.of("bad-namespace.yaml", ".spec.namespace: should match"),
                Arguments.of("bad-scrape-interval.yaml", ".spec.metrics.serviceMonitor.interval: should match"),
                Arguments.of("zero-max-unavailable.yaml", ".spec.kubeletPlugin.updateStrategy: Invalid value: maxUnavailable must be above 0"),
                Arguments.of("on-delete-with-max-unavailable.yaml", ".spec.kubeletPlugin.updateStrategy: Invalid value: maxUnavailable is only used with type RollingUpdate"),
                Arguments.of("bad-resource-api-version.yaml", ".spec.resourceApiVersion: Unsupported value \"v2\""),
                Arguments.of("metrics-port-privileged.yaml", ".spec.metrics.port: should be greater than or equal to 1024"),
                Arguments.of("empty-node-selector.yaml", ".spec.nodeSelector: should have at least 1 properties"));
    }

    @ParameterizedTest
    @MethodSource("badSamples")
    void badSamplesAreRefusedNamingTheField(String file, String expected) throws IOException {
        StructuralSchemaValidator result = StructuralSchemaValidator.validate(sample("bad/" + file), schema);
        assertFalse(result.errors().isEmpty(), file + " was accepted");
        assertTrue(result.errors().stream().anyMatch(e -> e.startsWith(expected)),
                file + ": expected an error starting with '" + expected + "', got " + result.errors());
    }

    private static JsonNode sample(String name) throws IOException {
        try (InputStream in = CrdSchemaTest.class.getResourceAsStream("/crd/" + name)) {
            return YAML.readTree(in);
        }
    }

    private static void undocumented(String path, JsonNode node, List<String> missing) {
        if (!node.has("description")) {
            missing.add(path);
        }
        if (path.endsWith("resources") || path.endsWith("tolerations") || path.endsWith(".env")) {
            return; // Kubernetes' own types, documented by Kubernetes
        }
        node.path("properties").fields().forEachRemaining(e -> undocumented(path + "." + e.getKey(), e.getValue(), missing));
    }
}
