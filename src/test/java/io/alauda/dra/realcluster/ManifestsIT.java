package io.alauda.dra.realcluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.alauda.dra.api.v1alpha1.NvidiaDraDriver;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a cluster admin applies, checked by the real API server: the CRD (structural schema, CEL rules and their cost
 * limits), every object of the plain install and of the OLM bundle (server-side dry-run apply), every sample, and a
 * catalogue of bad NvidiaDraDriver specs that the server must refuse naming the field.
 */
@ExtendWith(RealCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManifestsIT {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path BUNDLE_CRD = Path.of("bundle/manifests/dra.alauda.io_nvidiadradrivers.yaml");
    private static final Path CSV = Path.of("bundle/manifests/nvidia-dra-driver-operator.clusterserviceversion.yaml");

    private KubernetesClient admin;

    @BeforeAll
    void installCrd(ControlPlane plane) throws IOException {
        admin = plane.admin();
        // The namespace and the CRD for real: the namespaced objects and the CRs are dry-run against them.
        for (HasMetadata object : Manifests.load(admin, Manifests.INSTALL)) {
            if (object instanceof CustomResourceDefinition || object.getKind().equals("Namespace")) {
                admin.resource(object).fieldManager("e2e-admin").forceConflicts().serverSideApply();
            }
        }
        await("CRD established").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> admin.apiextensions().v1().customResourceDefinitions()
                .withName("nvidiadradrivers.dra.alauda.io").get().getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True")));
    }

    @Test
    void everyObjectOfThePlainInstallPassesServerSideDryRun() throws IOException {
        List<HasMetadata> objects = Manifests.load(admin, Manifests.INSTALL);
        assertTrue(objects.size() >= 8, "objects in " + Manifests.INSTALL + ": " + objects.size());
        for (HasMetadata object : objects) {
            dryRunApply(object);
        }
    }

    /**
     * The bundle's CRD is applied as it is; the CSV itself needs OLM's CRDs, which this cluster does not have, so
     * what OLM would create from it is dry-run instead: its deployment, and its cluster and namespace permissions as
     * roles.
     */
    @Test
    void theBundlesCrdAndWhatTheCsvInstallsPassServerSideDryRun() throws IOException {
        CustomResourceDefinition bundleCrd = Serialization.unmarshal(Files.readString(BUNDLE_CRD), CustomResourceDefinition.class);
        dryRunApply(bundleCrd);
        JsonNode install = YAML.readTree(CSV.toFile()).at("/spec/install/spec");
        List<HasMetadata> objects = new ArrayList<>();
        for (JsonNode deployment : install.path("deployments")) {
            objects.add(new DeploymentBuilder().withNewMetadata().withName(deployment.path("name").asText())
                    .withNamespace("nvidia-dra-driver-operator").endMetadata()
                    .withSpec(YAML.treeToValue(deployment.path("spec"), io.fabric8.kubernetes.api.model.apps.DeploymentSpec.class))
                    .build());
        }
        for (JsonNode permission : install.path("clusterPermissions")) {
            objects.add(clusterRole("csv-cluster-" + permission.path("serviceAccountName").asText(), permission.path("rules")));
        }
        for (JsonNode permission : install.path("permissions")) {
            objects.add(clusterRole("csv-ns-" + permission.path("serviceAccountName").asText(), permission.path("rules")));
        }
        assertTrue(objects.stream().anyMatch(o -> o instanceof Deployment), "the CSV installs no deployment");
        for (HasMetadata object : objects) {
            dryRunApply(object);
        }
    }

    static Stream<Path> goodSamples() throws IOException {
        List<Path> samples = new ArrayList<>(List.of(Manifests.SAMPLE));
        try (Stream<Path> good = Files.list(Path.of("src/test/resources/crd/good"))) {
            good.sorted().forEach(samples::add);
        }
        return samples.stream();
    }

    @ParameterizedTest
    @MethodSource("goodSamples")
    void everySampleIsAccepted(Path sample) throws IOException {
        NvidiaDraDriver driver = Serialization.unmarshal(Files.readString(sample), NvidiaDraDriver.class);
        // another suite may hold a live CR of the sample's name; a dry run under another name checks the same spec
        driver.getMetadata().setName("dry-run-" + sample.getFileName().toString().replace(".yaml", ""));
        admin.resource(driver).dryRun().create();
    }

    @Test
    void everyAlmExampleIsAccepted() throws IOException {
        String examples = YAML.readTree(CSV.toFile()).at("/metadata/annotations").path("alm-examples").asText();
        JsonNode parsed = new ObjectMapper().readTree(examples);
        assertTrue(parsed.size() > 0, "alm-examples is empty");
        for (JsonNode example : parsed) {
            GenericKubernetesResource resource = Serialization.unmarshal(example.toString(), GenericKubernetesResource.class);
            resource.getMetadata().setName("dry-run-alm-" + resource.getMetadata().getName());
            admin.resource(resource).dryRun().create();
        }
    }

    /**
     * Bad specs with the field the server's message must name. The files under crd/bad are the schema tests'
     * corpus; the inline ones are what a hand-edited YAML or a client with another version of the CRD sends.
     */
    static Stream<Arguments> badSpecs() {
        return Stream.of(
                file("relative-driver-root.yaml", "spec.driverRoot"),
                file("dotdot-cdi-root.yaml", "spec.cdiRoot"),
                file("unknown-feature-gate.yaml", "spec.featureGates"),
                file("exclusive-feature-gates.yaml", "spec.featureGates"),
                file("metadata-without-passthrough.yaml", "spec.featureGates"),
                file("healthcheck-port-zero.yaml", "spec.kubeletPlugin.healthcheckPort"),
                file("healthcheck-port-too-high.yaml", "spec.kubeletPlugin.healthcheckPort"),
                file("too-many-replicas.yaml", "spec.controller.replicas"),
                file("bad-pull-policy.yaml", "spec.image.pullPolicy"),
                file("bad-log-level.yaml", "spec.logLevel"),
                file("bad-namespace.yaml", "spec.namespace"),
                file("bad-scrape-interval.yaml", "spec.metrics.serviceMonitor.interval"),
                file("zero-max-unavailable.yaml", "spec.kubeletPlugin.updateStrategy"),
                file("on-delete-with-max-unavailable.yaml", "spec.kubeletPlugin.updateStrategy"),
                file("bad-resource-api-version.yaml", "spec.resourceApiVersion"),
                file("metrics-port-privileged.yaml", "spec.metrics.port"),
                file("empty-node-selector.yaml", "spec.nodeSelector"),
                file("cdi-root-double-slash.yaml", "spec.cdiRoot"),
                file("cdi-root-etc.yaml", "spec.cdiRoot"),
                file("plugins-dir-usr.yaml", "spec.kubeletPluginsDir"),
                file("registrar-dir-root.yaml", "spec.kubeletRegistrarDir"),
                file("driver-root-proc.yaml", "spec.driverRoot"),
                file("memory-in-mb.yaml", "spec.kubeletPlugin.resources.limits.memory"),
                file("tag-without-repository.yaml", "spec.image"),
                file("default-namespace.yaml", "spec.namespace"),
                inline("driver-root-etc", "driverRoot: /etc", "spec.driverRoot"),
                inline("registrar-dir-dot", "kubeletRegistrarDir: /var/lib/kubelet/./plugins_registry", "spec.kubeletRegistrarDir"),
                inline("divisor-in-mb", "kubeletPlugin: {env: [{name: MEM, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1MB}}}]}",
                        "spec.kubeletPlugin.env[0].valueFrom.resourceFieldRef.divisor"),
                inline("replicas-as-text", "controller: {replicas: three}", "spec.controller.replicas"),
                inline("port-overflow", "kubeletPlugin: {healthcheckPort: 4294967297}", "spec.kubeletPlugin.healthcheckPort"),
                inline("node-selector-as-text", "nodeSelector: gpu", "spec.nodeSelector"),
                inline("log-level-as-number", "logLevel: 5", "spec.logLevel"),
                inline("feature-gate-as-text", "featureGates: {DynamicMIG: maybe}", "spec.featureGates.DynamicMIG"),
                inline("pull-secrets-as-text", "image: {pullSecrets: regcred}", "spec.image.pullSecrets"));
    }

    private static Arguments file(String name, String field) {
        return Arguments.of(name, Path.of("src/test/resources/crd/bad", name), null, field);
    }

    private static Arguments inline(String name, String spec, String field) {
        return Arguments.of(name, null, spec, field);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSpecs")
    void badSpecsAreRefusedByTheServerNamingTheField(String name, Path file, String spec, String field) throws IOException {
        String yaml = file != null ? Files.readString(file)
                : "apiVersion: dra.alauda.io/v1alpha1\nkind: NvidiaDraDriver\nmetadata:\n  name: bad\nspec:\n  " + spec + "\n";
        GenericKubernetesResource resource = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
        KubernetesClientException refused = assertThrows(KubernetesClientException.class,
                () -> admin.resource(resource).dryRun().create(), name + " was accepted");
        assertEquals(422, refused.getCode(), name + ": " + refused.getMessage());
        assertTrue(refused.getMessage().contains(field), name + ": the server's message does not name " + field + ": "
                + refused.getMessage());
    }

    @Test
    void theCatalogueOfBadSpecsIsLargeEnough() {
        assertFalse(badSpecs().count() < 20, "at least 20 bad specs");
    }

    private void dryRunApply(HasMetadata object) {
        try {
            admin.resource(object).dryRun().fieldManager("e2e-admin").forceConflicts().serverSideApply();
        } catch (KubernetesClientException e) {
            throw new AssertionError(object.getKind() + " " + object.getMetadata().getName() + " refused: " + e.getMessage(), e);
        }
    }

    private static ClusterRole clusterRole(String name, JsonNode rules) throws IOException {
        List<PolicyRule> parsed = new ArrayList<>();
        for (JsonNode rule : rules) {
            parsed.add(YAML.treeToValue(rule, PolicyRule.class));
        }
        return new ClusterRoleBuilder().withNewMetadata().withName(name).endMetadata().withRules(parsed).build();
    }
}
