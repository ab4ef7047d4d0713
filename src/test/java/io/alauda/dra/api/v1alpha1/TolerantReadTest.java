package io.alauda.dra.api.v1alpha1;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alauda.dra.testing.BadDrivers;
import io.fabric8.kubernetes.api.model.DefaultKubernetesResourceList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No NvidiaDraDriver content fails a read: each bad value of the catalogue is dropped and named with its fix, as
 * the client in the operator reads it (fabric8's serialisation, strict about unknown fields as the operator's client is).
 */
class TolerantReadTest {

    /** As the operator's client is configured: unknown fields fail a plain read. */
    private static final KubernetesSerialization STRICT = new KubernetesSerialization(
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES), true);
    /** The client's own mapper, configured by fabric8 as in the operator, reading without the tolerant read. */
    private static final ObjectMapper PLAIN = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    static {
        new KubernetesSerialization(PLAIN, true); // configures the mapper as fabric8 does
    }

    private static final KubernetesSerialization LENIENT = new KubernetesSerialization(
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL), true);

    static Stream<BadDrivers.Entry> catalogue() {
        return BadDrivers.CATALOGUE.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void eachBadValueIsNamedWithItsFixAndTheReadSucceeds(BadDrivers.Entry entry) {
        for (KubernetesSerialization serialization : List.of(STRICT, LENIENT)) {
            NvidiaDraDriver driver = serialization.unmarshal(json("bad", entry.spec()), NvidiaDraDriver.class);
            assertNotNull(driver.getSpec(), "the spec is never null, so nothing downstream trips over it");
            List<String> problems = SpecReadProblems.of(driver.getSpec());
            assertEquals(1, problems.size(), () -> entry + ": " + problems);
            String problem = problems.get(0);
            assertTrue(problem.contains(entry.field()), () -> entry + " does not name " + entry.field() + ": " + problem);
            assertTrue(problem.contains(entry.fix()), () -> entry + " does not say '" + entry.fix() + "': " + problem);
        }
    }

    /** What ended the watch: the spec's Java type, read plainly by the client's mapper, fails on the entry. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void withoutTheTolerantReadTheEntryFailsTheRead(BadDrivers.Entry entry) {
        boolean failed;
        try {
            PLAIN.readValue(entry.spec(), NvidiaDraDriverSpec.class);
            failed = false;
        } catch (Exception e) {
            failed = true;
        }
        assertEquals(entry.plainReadFails(), failed, entry.id());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void aListOfDriversWithABadOneReadsWhole(BadDrivers.Entry entry) {
        String list = "{\"apiVersion\":\"dra.alauda.io/v1alpha1\",\"kind\":\"NvidiaDraDriverList\",\"metadata\":{},\"items\":["
                + json("good", "{}") + "," + json("bad", entry.spec()) + "]}";
        DefaultKubernetesResourceList<NvidiaDraDriver> drivers = STRICT.unmarshal(
                new java.io.ByteArrayInputStream(list.getBytes(java.nio.charset.StandardCharsets.UTF_8)), new TypeReference<DefaultKubernetesResourceList<NvidiaDraDriver>>() {
                });
        assertEquals(2, drivers.getItems().size());
        assertEquals(List.of(), SpecReadProblems.of(drivers.getItems().get(0).getSpec()));
        assertEquals(1, SpecReadProblems.of(drivers.getItems().get(1).getSpec()).size());
    }

    @Test
    void aGoodSpecReadsAsWrittenWithNoProblems() {
        NvidiaDraDriver driver = STRICT.unmarshal(json("good", "{\"logLevel\":\"DEBUG\",\"resourceApiVersion\":\"v1beta2\","
                + "\"controller\":{\"replicas\":2,\"resources\":{\"requests\":{\"cpu\":\"100m\"}}},"
                + "\"kubeletPlugin\":{\"env\":[{\"name\":\"A\",\"value\":\"b\"}]},\"featureGates\":{\"DynamicMIG\":true}}"),
                NvidiaDraDriver.class);
        assertEquals(List.of(), SpecReadProblems.of(driver.getSpec()));
        assertEquals(LogLevel.DEBUG, driver.getSpec().logLevel);
        assertEquals(ResourceApiVersion.V1BETA2, driver.getSpec().resourceApiVersion);
        assertEquals(2, driver.getSpec().controller.replicas);
        assertEquals("100m", driver.getSpec().controller.resources.getRequests().get("cpu").toString());
        assertEquals("A", driver.getSpec().kubeletPlugin.env.get(0).getName());
        assertEquals(Boolean.TRUE, driver.getSpec().featureGates.get("DynamicMIG"));
    }

    @Test
    void theOtherValuesOfABadSpecAreKeptAndTheBadOnesTakeTheirDefault() {
        NvidiaDraDriver driver = STRICT.unmarshal(json("bad", "{\"namespace\":\"gpu\",\"logLevel\":\"VERBOSE\","
                + "\"controller\":{\"replicas\":99999999999}}"), NvidiaDraDriver.class);
        assertEquals(2, SpecReadProblems.of(driver.getSpec()).size(), () -> SpecReadProblems.of(driver.getSpec()).toString());
        assertEquals("gpu", driver.getSpec().namespace);
        assertEquals(LogLevel.INFO, driver.getSpec().logLevel);
        assertEquals(1, driver.getSpec().controller.replicas);
    }

    @Test
    void nullMembersTakeTheirDefaultAsTheApiServerPrunesThem() {
        NvidiaDraDriver driver = STRICT.unmarshal(json("nulls", "{\"image\":null,\"controller\":{\"replicas\":null},\"logLevel\":null}"),
                NvidiaDraDriver.class);
        assertEquals(List.of(), SpecReadProblems.of(driver.getSpec()));
        assertNotNull(driver.getSpec().image);
        assertEquals(1, driver.getSpec().controller.replicas);
        assertEquals(LogLevel.INFO, driver.getSpec().logLevel);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void aCopyMadeBySerialisingKeepsTheBadValuesAndTheirProblems(BadDrivers.Entry entry) throws Exception {
        NvidiaDraDriver driver = STRICT.unmarshal(json("bad", entry.spec()), NvidiaDraDriver.class);
        // JOSDK reconciles such a copy and computes its patches from copies
        NvidiaDraDriver copy = STRICT.clone(driver);
        assertEquals(SpecReadProblems.of(driver.getSpec()), SpecReadProblems.of(copy.getSpec()));
        ObjectMapper plain = new ObjectMapper();
        assertEquals(plain.readTree(json("bad", entry.spec())).get("spec"), plain.readTree(STRICT.asJson(copy)).get("spec"),
                "the copy writes the spec as it was read");
    }

    @Test
    void topLevelFieldsOfANewerCrdAreIgnored() {
        NvidiaDraDriver driver = STRICT.unmarshal("{\"apiVersion\":\"dra.alauda.io/v1alpha1\",\"kind\":\"NvidiaDraDriver\","
                + "\"metadata\":{\"name\":\"x\"},\"spec\":{},\"rollout\":{\"paused\":true}}", NvidiaDraDriver.class);
        assertEquals(List.of(), SpecReadProblems.of(driver.getSpec()));
    }

    @Test
    void aStatusWrittenByAnotherVersionReadsAsAbsentSoThatItIsRewritten() {
        String conditions = "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"Installed\","
                + "\"lastTransitionTime\":\"2026-01-01T00:00:00Z\",\"message\":\"ok\"}]";
        NvidiaDraDriver newer = STRICT.unmarshal(withStatus("{" + conditions + ",\"phase\":\"Running\"}"), NvidiaDraDriver.class);
        assertNull(newer.getStatus());
        NvidiaDraDriver wrongType = STRICT.unmarshal(withStatus("{" + conditions + ",\"nodes\":\"2/2\"}"), NvidiaDraDriver.class);
        assertNull(wrongType.getStatus());
        NvidiaDraDriver notAnObject = STRICT.unmarshal(withStatus("\"Ready\""), NvidiaDraDriver.class);
        assertNull(notAnObject.getStatus());
        NvidiaDraDriver own = STRICT.unmarshal(withStatus("{" + conditions + ",\"namespace\":\"kube-system\"}"), NvidiaDraDriver.class);
        assertEquals("kube-system", own.getStatus().namespace);
        assertEquals("Installed", own.getStatus().conditions.get(0).getReason());
    }

    private static String json(String name, String spec) {
        return "{\"apiVersion\":\"dra.alauda.io/v1alpha1\",\"kind\":\"NvidiaDraDriver\",\"metadata\":{\"name\":\"" + name
                + "\"},\"spec\":" + spec + "}";
    }

    private static String withStatus(String status) {
        return "{\"apiVersion\":\"dra.alauda.io/v1alpha1\",\"kind\":\"NvidiaDraDriver\",\"metadata\":{\"name\":\"s\"},"
                + "\"spec\":{},\"status\":" + status + "}";
    }
}
