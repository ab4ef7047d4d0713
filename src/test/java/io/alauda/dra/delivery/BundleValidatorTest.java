package io.alauda.dra.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed bundle passes every operator-sdk rule that {@link BundleValidator} implements, and each rule trips
 * when a copy of the bundle is broken in the one way that rule is about.
 */
class BundleValidatorTest {

    private static final Path BUNDLE = Path.of(Install.BUNDLE_DIR);
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @TempDir
    Path tmp;

    @Test
    void committedBundleIsValid() {
        assertEquals(List.of(), new BundleValidator(false).validate(BUNDLE));
    }

    // ---- CSV name and required fields ----

    @Test
    void csvNameWithoutVersionIsRefused() throws IOException {
        assertRule("csvName", editCsv(csv -> metadata(csv).put("name", Install.PACKAGE)));
    }

    @Test
    void csvNameThatIsNotADnsSubdomainIsRefused() throws IOException {
        assertRule("csvName", editCsv(csv -> metadata(csv).put("name", "NVIDIA_DRA.v0.1.0")));
    }

    @Test
    void csvNameLongerThanALabelValueIsRefused() throws IOException {
        assertRule("csvName", editCsv(csv -> metadata(csv).put("name", "a".repeat(60) + ".v0.1.0")));
    }

    @Test
    void csvNameWithAnInvalidSemverIsRefused() throws IOException {
        assertRule("csvName", editCsv(csv -> metadata(csv).put("name", Install.PACKAGE + ".v0.1")));
    }

    @Test
    void replacesMustBeACsvName() throws IOException {
        assertRule("csvName", editCsv(csv -> spec(csv).put("replaces", "previous")));
    }

    @Test
    void displayNameIsRequired() throws IOException {
        assertRule("required", editCsv(csv -> spec(csv).remove("displayName")));
    }

    @Test
    void installStrategyIsRequired() throws IOException {
        assertRule("required", editCsv(csv -> ((ObjectNode) spec(csv).path("install")).remove("strategy")));
    }

    @Test
    void ownedCrdDescriptionNeedsNameVersionAndKind() throws IOException {
        assertRule("required", editCsv(csv -> owned(csv).remove("version")));
    }

    // ---- install modes ----

    @Test
    void installModesMustBePresent() throws IOException {
        assertRule("installModes", editCsv(csv -> spec(csv).remove("installModes")));
    }

    @Test
    void installModesMustBeUnique() throws IOException {
        assertRule("installModes", editCsv(csv -> ((ArrayNode) spec(csv).path("installModes")).add(spec(csv).path("installModes").get(3).deepCopy())));
    }

    @Test
    void oneInstallModeMustBeSupported() throws IOException {
        assertRule("installModes", editCsv(csv -> spec(csv).path("installModes").forEach(m -> ((ObjectNode) m).put("supported", false))));
    }

    // ---- alm-examples ----

    @Test
    void almExamplesMustBeJson() throws IOException {
        assertRule("almExamples", editCsv(csv -> annotations(csv).put("alm-examples", "[{ not json")));
    }

    @Test
    void almExamplesMustBeOwnedKinds() throws IOException {
        assertRule("almExamples", editCsv(csv -> annotations(csv).put("alm-examples",
                "[{\"apiVersion\": \"dra.alauda.io/v1\", \"kind\": \"NvidiaDraDriver\", \"metadata\": {\"name\": \"x\"}, \"spec\": {\"driverRoot\": \"/\"}}]")));
    }

    @Test
    void everyOwnedKindNeedsAnExample() throws IOException {
        assertRule("almExamples", editCsv(csv -> annotations(csv).put("alm-examples", "[]")));
    }

    @Test
    void everyExampleNeedsASpec() throws IOException {
        assertRule("almExamples", editCsv(csv -> annotations(csv).put("alm-examples",
                "[{\"apiVersion\": \"dra.alauda.io/v1alpha1\", \"kind\": \"NvidiaDraDriver\", \"metadata\": {\"name\": \"x\"}}]")));
    }

    @Test
    void everySpecFieldOfTheExamplesNeedsASpecDescriptor() throws IOException {
        assertRule("specDescriptors", editCsv(csv -> {
            ArrayNode descriptors = (ArrayNode) owned(csv).path("specDescriptors");
            for (int i = descriptors.size() - 1; i >= 0; i--) {
                if (descriptors.get(i).path("path").asText().equals("driverRoot")) {
                    descriptors.remove(i);
                }
            }
        }));
    }

    // ---- owned CRDs and other manifests ----

    @Test
    void ownedCrdMustBeInTheBundle() throws IOException {
        Path dir = copyBundle();
        Files.delete(dir.resolve(OlmBundle.CRD_FILE));
        assertRule("ownedCrds", new BundleValidator(false).validate(dir));
    }

    @Test
    void everyCrdInTheBundleMustBeOwned() throws IOException {
        Path dir = copyBundle();
        ObjectNode crd = (ObjectNode) BuildOutput.documents(dir.resolve(OlmBundle.CRD_FILE)).get(0);
        ((ObjectNode) crd.path("metadata")).put("name", "others.dra.alauda.io");
        Files.writeString(dir.resolve("manifests/dra.alauda.io_others.yaml"), Yaml.write(crd));
        assertRule("ownedCrds", new BundleValidator(false).validate(dir));
    }

    @Test
    void ownedCrdKindMustMatchTheCrd() throws IOException {
        assertRule("ownedCrds", editCsv(csv -> owned(csv).put("kind", "NvidiaDriver")));
    }

    @Test
    void serviceAccountNamedLikeTheDeploymentsAccountIsRefused() throws IOException {
        Path dir = copyBundle();
        Files.writeString(dir.resolve("manifests/sa.yaml"), """
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: %s
                """.formatted(Install.SERVICE_ACCOUNT));
        assertRule("serviceAccounts", new BundleValidator(false).validate(dir));
    }

    // ---- icon, capabilities, categories, minKubeVersion, OperatorHub fields ----

    @Test
    void exactlyOneIcon() throws IOException {
        assertRule("icon", editCsv(csv -> ((ArrayNode) spec(csv).path("icon")).add(spec(csv).path("icon").get(0).deepCopy())));
    }

    @Test
    void iconMediatypeFromTheAllowedList() throws IOException {
        assertRule("icon", editCsv(csv -> ((ObjectNode) spec(csv).path("icon").get(0)).put("mediatype", "image/webp")));
    }

    @Test
    void capabilityFromTheAllowedList() throws IOException {
        assertRule("capabilities", editCsv(csv -> annotations(csv).put("capabilities", "Seamless Upgrade")));
    }

    @Test
    void categoriesFromTheAllowedList() throws IOException {
        assertRule("categories", editCsv(csv -> annotations(csv).put("categories", "AI/Machine Learning, GPUs")));
    }

    @Test
    void minKubeVersionMustBeSemver() throws IOException {
        assertRule("minKubeVersion", editCsv(csv -> spec(csv).put("minKubeVersion", "1.32")));
    }

    @Test
    void minKubeVersionMustBeSet() throws IOException {
        assertRule("minKubeVersion", editCsv(csv -> spec(csv).remove("minKubeVersion")));
    }

    @Test
    void maintainersNeedAValidEmail() throws IOException {
        assertRule("operatorHub", editCsv(csv -> ((ObjectNode) spec(csv).path("maintainers").get(0)).put("email", "nobody")));
    }

    // ---- deployments and images ----

    @Test
    void everyContainerNeedsResourceRequests() throws IOException {
        assertRule("resourceRequests", editCsv(csv -> ((ObjectNode) container(csv).path("resources")).remove("requests")));
    }

    @Test
    void relatedImagesMustNotBeEmpty() throws IOException {
        assertRule("relatedImages", editCsv(csv -> spec(csv).remove("relatedImages")));
    }

    @Test
    void relatedImagesMustBeValidPullSpecs() throws IOException {
        assertRule("relatedImages", editCsv(csv -> ((ObjectNode) spec(csv).path("relatedImages").get(0)).put("image", "ghcr.io/Alauda/x:")));
    }

    @Test
    void aReleaseBundlePinsImagesByDigest() throws IOException {
        assertRule("relatedImages", new BundleValidator(true).validate(BUNDLE));
        Path pinned = editCsv(csv -> {
            String image = DeliveryConfig.DEFAULT_REPOSITORY + "@" + DIGEST;
            ((ObjectNode) spec(csv).path("relatedImages").get(0)).put("image", image);
            container(csv).put("image", image);
        });
        assertEquals(List.of(), new BundleValidator(true).validate(pinned));
    }

    // ---- metadata and size ----

    @Test
    void bundleMediatypeMustBeRegistryV1() throws IOException {
        assertRule("annotations", editAnnotations(a -> a.put("operators.operatorframework.io.bundle.mediatype.v1", "plain+v0")));
    }

    @Test
    void packageMustMatchTheCsvName() throws IOException {
        assertRule("annotations", editAnnotations(a -> a.put("operators.operatorframework.io.bundle.package.v1", "nvidia-dra")));
    }

    @Test
    void defaultChannelMustBeAChannel() throws IOException {
        assertRule("annotations", editAnnotations(a -> a.put("operators.operatorframework.io.bundle.channel.default.v1", "stable")));
    }

    @Test
    void channelsFollowTheNamingConvention() throws IOException {
        assertRule("annotations", editAnnotations(a -> {
            a.put("operators.operatorframework.io.bundle.channels.v1", "alpha");
            a.put("operators.operatorframework.io.bundle.channel.default.v1", "alpha");
        }));
    }

    @Test
    void compressedBundleMustStayUnderOneMebibyte() throws IOException {
        Path dir = copyBundle();
        byte[] noise = new byte[Math.toIntExact(BundleValidator.MAX_COMPRESSED_SIZE) + 4096];
        new Random(42).nextBytes(noise); // random bytes do not compress
        Files.write(dir.resolve("metadata/padding.bin"), noise);
        assertRule("size", new BundleValidator(false).validate(dir));
        assertTrue(BundleValidator.compressedSize(BUNDLE) < BundleValidator.MAX_COMPRESSED_SIZE * 85 / 100,
                "the committed bundle is " + BundleValidator.compressedSize(BUNDLE) + " bytes compressed");
    }

    // ---- helpers ----

    private static void assertRule(String rule, List<String> problems) {
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("[" + rule + "]")), "expected a [" + rule + "] problem, got " + problems);
    }

    private Path copyBundle() throws IOException {
        Path dir = Files.createTempDirectory(tmp, "bundle");
        try (Stream<Path> files = Files.walk(BUNDLE)) {
            for (Path source : files.filter(Files::isRegularFile).toList()) {
                Path target = dir.resolve(BUNDLE.relativize(source).toString());
                Files.createDirectories(target.getParent());
                Files.copy(source, target);
            }
        }
        return dir;
    }

    private Path editCsv(Consumer<ObjectNode> edit) throws IOException {
        Path dir = copyBundle();
        Path file = dir.resolve(OlmBundle.CSV_FILE);
        ObjectNode csv = (ObjectNode) BuildOutput.documents(file).get(0);
        edit.accept(csv);
        Files.writeString(file, Yaml.write(csv), StandardCharsets.UTF_8);
        return dir;
    }

    private List<String> editAnnotations(Consumer<ObjectNode> edit) throws IOException {
        Path dir = copyBundle();
        Path file = dir.resolve(OlmBundle.ANNOTATIONS_FILE);
        ObjectNode doc = (ObjectNode) BuildOutput.documents(file).get(0);
        edit.accept((ObjectNode) doc.path("annotations"));
        Files.writeString(file, Yaml.write(doc), StandardCharsets.UTF_8);
        return new BundleValidator(false).validate(dir);
    }

    private static void assertRule(String rule, Path dir) {
        assertRule(rule, new BundleValidator(false).validate(dir));
    }

    private static ObjectNode metadata(ObjectNode csv) {
        return (ObjectNode) csv.path("metadata");
    }

    private static ObjectNode annotations(ObjectNode csv) {
        return (ObjectNode) metadata(csv).path("annotations");
    }

    private static ObjectNode spec(ObjectNode csv) {
        return (ObjectNode) csv.path("spec");
    }

    private static ObjectNode owned(ObjectNode csv) {
        return (ObjectNode) spec(csv).path("customresourcedefinitions").path("owned").get(0);
    }

    private static ObjectNode container(ObjectNode csv) {
        JsonNode deployment = spec(csv).path("install").path("spec").path("deployments").get(0);
        return (ObjectNode) deployment.path("spec").path("template").path("spec").path("containers").get(0);
    }
}
