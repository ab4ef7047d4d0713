package io.alauda.dra.realcluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alauda.dra.operator.resources.Labels;
import io.alauda.dra.operator.resources.Names;
import io.alauda.dra.testing.BadDrivers;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CRD version skew on a real API server: the NvidiaDraDriver CRD is replaced by a permissive one (its schema keeps
 * unknown fields, as a newer CRD or one edited by hand would let them through), so that every bad CR of
 * {@link BadDrivers#CATALOGUE} is stored. The packaged operator, running as its ServiceAccount, must refuse each with a
 * condition naming the field, keep seeing the CRs created beside and after it, never stop its watch, and stay live.
 * The CRD of the install is put back afterwards: other suites share this control plane and expect its schema.
 */
@ExtendWith(RealCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadCrSkewIT {

    private static final String OPERATOR_NAMESPACE = "nvidia-dra-driver-operator";
    private static final String CRD = "nvidiadradrivers.dra.alauda.io";
    private static final Duration WAIT = Duration.ofMinutes(1);
    private static final String LIVENESS_CHECK = "NvidiaDraDriver operator watches";
    private static final ObjectMapper JSON = new ObjectMapper();

    private KubernetesClient admin;
    private JSONSchemaProps installedSchema;
    private ChildProcess operator;
    private int httpPort;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void permissiveCrdAndOperator(ControlPlane plane) throws Exception {
        admin = plane.admin();
        for (HasMetadata object : Manifests.apply(admin, Manifests.INSTALL)) {
            if (object instanceof CustomResourceDefinition crd) {
                installedSchema = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
            }
        }
        assertNotNull(installedSchema, "no CRD in " + Manifests.INSTALL);
        // only the oldest NvidiaDraDriver is acted on: another suite's CR would make these duplicates
        assertEquals(List.of(), BadDrivers.raw(admin).list().getItems().stream().map(o -> o.getMetadata().getName()).toList(),
                "NvidiaDraDrivers left by another suite");
        setSchema(new JSONSchemaPropsBuilder().withType("object").withXKubernetesPreserveUnknownFields(true).build());
        // the API server takes a moment to serve the new schema: wait until it stores a field the old one prunes
        await("permissive schema served").atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            BadDrivers.raw(admin).resource(BadDrivers.object("skew-probe", "{\"gpuSharing\":{}}")).create();
            try {
                assertTrue(spec(BadDrivers.raw(admin).withName("skew-probe").get()).has("gpuSharing"));
            } finally {
                BadDrivers.raw(admin).withName("skew-probe").delete();
            }
        });
        await().atMost(WAIT).until(() -> BadDrivers.raw(admin).withName("skew-probe").get() == null);

        httpPort = ControlPlane.freePort();
        operator = RoleProcess.start("operator-skew", "operator",
                plane.serviceAccountKubeconfig(OPERATOR_NAMESPACE, "nvidia-dra-driver-operator", null),
                Map.of("RELATED_IMAGE_NVIDIA_DRA_DRIVER", "ghcr.io/alauda/nvidia-dra-driver:e2e",
                        "QUARKUS_HTTP_PORT", Integer.toString(httpPort)), plane.dir().resolve("logs"));
        await("operator live").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> {
                    operator.assertAlive();
                    assertEquals(200, liveness().statusCode());
                });
    }

    @AfterAll
    void restore() {
        try {
            BadDrivers.raw(admin).list().getItems().stream().map(o -> o.getMetadata().getName()).filter(n -> n.startsWith("skew-"))
                    .forEach(n -> BadDrivers.raw(admin).withName(n).delete());
            if (operator != null) {
                await().atMost(WAIT).until(() -> BadDrivers.raw(admin).list().getItems().stream()
                        .noneMatch(o -> o.getMetadata().getName().startsWith("skew-")));
            }
        } finally {
            if (operator != null) {
                operator.stop(10);
            }
            if (installedSchema != null) {
                setSchema(installedSchema);
            }
        }
    }

    @Test
    void everyBadCrIsRefusedByFieldWhileTheWatchGoesOnAndLivenessStaysUp() throws Exception {
        List<String> skipped = new ArrayList<>();
        int run = 0;
        for (BadDrivers.Entry entry : BadDrivers.CATALOGUE) {
            run++;
            String bad = "skew-bad-" + run;
            String witness = "skew-witness-" + run;
            BadDrivers.raw(admin).resource(BadDrivers.object(bad, entry.spec())).create();
            JsonNode stored = spec(BadDrivers.raw(admin).withName(bad).get());
            if (!JSON.readTree(entry.spec()).equals(stored)) {
                // the server itself pruned or changed the bad value (e.g. a null): nothing for the operator to survive
                skipped.add(entry.id() + " (stored as " + stored + ")");
                BadDrivers.raw(admin).withName(bad).delete();
                await().atMost(WAIT).until(() -> BadDrivers.raw(admin).withName(bad).get() == null);
                continue;
            }
            await(entry.id() + ": InvalidSpec naming " + entry.field()).atMost(WAIT).untilAsserted(() -> {
                operator.assertAlive();
                Map<String, Object> ready = BadDrivers.condition(BadDrivers.raw(admin).withName(bad).get(), "Ready");
                assertNotNull(ready, "no Ready condition on " + bad);
                assertEquals("InvalidSpec", ready.get("reason"));
                String message = String.valueOf(ready.get("message"));
                assertTrue(message.contains(entry.field()) && message.contains(entry.fix()), message);
            });
            BadDrivers.raw(admin).resource(BadDrivers.object(witness, "{}")).create();
            await(entry.id() + ": a CR created beside it is seen").atMost(WAIT)
                    .untilAsserted(() -> assertEquals("Duplicate", reason(witness)));
            assertEquals(null, daemonSet(), "a refused spec created the kubelet-plugin DaemonSet");
            BadDrivers.raw(admin).withName(bad).delete();
            BadDrivers.raw(admin).withName(witness).delete();
            await(entry.id() + ": both deleted (cleanup ran, finalizers removed)").atMost(WAIT).until(() ->
                    BadDrivers.raw(admin).withName(bad).get() == null && BadDrivers.raw(admin).withName(witness).get() == null);
        }
        assertTrue(skipped.size() <= 2, "the server changed too many of the bad CRs: " + skipped);
        System.out.println("BadCrSkewIT: the API server itself pruned " + skipped);

        // after them all: a good CR installs, a bad spec on it changes nothing, and a status of a newer version is rewritten
        String good = "skew-good";
        GenericKubernetesResource object = BadDrivers.object(good, "{}");
        object.getAdditionalProperties().put("rollout", Map.of("paused", false)); // a top-level field of a newer CRD
        BadDrivers.raw(admin).resource(object).create();
        await("a good CR after all the bad ones installs").atMost(WAIT).untilAsserted(() -> {
            operator.assertAlive();
            assertTrue(isInstalling(reason(good)), "Ready reason " + reason(good));
            assertEquals(good, daemonSet().getMetadata().getLabels().get(Labels.OWNER));
        });
        String daemonSetVersion = daemonSet().getMetadata().getResourceVersion();

        // a merge patch carries no resourceVersion, so the operator's status writes meanwhile are no conflict (edit()
        // sends the version it read, and lost that race once on a loaded machine)
        BadDrivers.raw(admin).withName(good).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"logLevel\":\"VERBOSE\",\"kubeletPlugin\":{\"priority\":5}}}");
        await("a bad spec on the installed CR is refused").atMost(WAIT).untilAsserted(() -> {
            Map<String, Object> degraded = BadDrivers.condition(BadDrivers.raw(admin).withName(good).get(), "Degraded");
            assertEquals("InvalidSpec", degraded.get("reason"));
            assertTrue(String.valueOf(degraded.get("message")).contains("spec.kubeletPlugin.priority"), String.valueOf(degraded));
        });
        assertEquals(daemonSetVersion, daemonSet().getMetadata().getResourceVersion(), "the DaemonSet was written for a refused spec");

        BadDrivers.raw(admin).withName(good).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"logLevel\":null,\"kubeletPlugin\":null}}");
        await("fixed spec installs again").atMost(WAIT).untilAsserted(() ->
                assertTrue(isInstalling(reason(good)), "Ready reason " + reason(good)));
        BadDrivers.raw(admin).withName(good).editStatus(current -> {
            current.getAdditionalProperties().put("status", Map.of("phase", "Running", "nodes", "2/2"));
            return current;
        });
        await("a status of a newer operator is rewritten").atMost(WAIT).untilAsserted(() -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> status = (Map<String, Object>) BadDrivers.raw(admin).withName(good).get().getAdditionalProperties().get("status");
            assertTrue(status != null && !status.containsKey("phase") && BadDrivers.condition(BadDrivers.raw(admin).withName(good).get(), "Ready") != null,
                    "status: " + status);
        });

        BadDrivers.raw(admin).withName(good).delete();
        await("the good CR's install removed").atMost(WAIT).until(() -> BadDrivers.raw(admin).withName(good).get() == null && daemonSet() == null);
        assertLive();
        List<String> log = Files.readAllLines(operator.log());
        assertTrue(log.stream().noneMatch(l -> l.contains("will stop") || l.contains("stopped on an error")),
                "a watch of the operator stopped; see " + operator.log());
    }

    private HttpResponse<String> liveness() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/live"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void assertLive() throws IOException, InterruptedException {
        HttpResponse<String> response = liveness();
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains(LIVENESS_CHECK), response.body());
    }

    private void setSchema(JSONSchemaProps schema) {
        CustomResourceDefinition crd = admin.apiextensions().v1().customResourceDefinitions().withName(CRD).get();
        crd.getSpec().getVersions().get(0).getSchema().setOpenAPIV3Schema(schema);
        admin.resource(crd).update();
        await("CRD " + CRD + " established").atMost(WAIT).until(() -> admin.apiextensions().v1().customResourceDefinitions()
                .withName(CRD).get().getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True")));
    }

    private String reason(String name) {
        Map<String, Object> ready = BadDrivers.condition(BadDrivers.raw(admin).withName(name).get(), "Ready");
        return ready == null ? null : String.valueOf(ready.get("reason"));
    }

    private static boolean isInstalling(String reason) {
        return "RollingOut".equals(reason) || "Installed".equals(reason);
    }

    private DaemonSet daemonSet() {
        return admin.apps().daemonSets().inNamespace("kube-system").withName(Names.KUBELET_PLUGIN).get();
    }

    private static JsonNode spec(GenericKubernetesResource object) {
        return object.getAdditionalProperties().containsKey("spec") ? JSON.valueToTree(object.getAdditionalProperties().get("spec"))
                : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
