package io.alauda.dra.realcluster;

import io.alauda.dra.doctor.ClaimDoctor;
import io.alauda.dra.doctor.ClaimReport;
import io.alauda.dra.doctor.kube.Loaded;
import io.alauda.dra.doctor.kube.Sources;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The claim doctor agrees with the real kube-scheduler: a corpus of claims against published slices (8 H100s of which
 * 2 are held by another claim, one Tesla P100 as the seed publishes it, two MIG devices), each explained by the doctor
 * from the cluster and then given to a pod; the doctor's "can be allocated" must be the scheduler's "bound to a node",
 * its "cannot" the scheduler's PodScheduled=False. One claim at a time, deleted before the next. Writes every verdict
 * to target/doctor-agreement.md.
 */
@ExtendWith(RealCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DoctorAgreementIT {

    private static final String NS = "doctor";
    private static final String DRIVER = "gpu.nvidia.com";
    private static final String H100 = "NVIDIA H100 80GB HBM3";
    private static final String P100 = "Tesla P100-PCIE-16GB";
    private static final String L40S = "NVIDIA L40S";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private KubernetesClient admin;
    private ResourceApi resources;
    private FakeNodes nodes;
    private final List<GenericKubernetesResource> created = new ArrayList<>();

    /** One corpus entry: a name and the claim's spec.devices. */
    private record Case(String name, Map<String, Object> devices) {
    }

    @BeforeAll
    void publish(ControlPlane plane) {
        admin = plane.admin();
        resources = ResourceApi.of(plane);
        nodes = new FakeNodes(admin);
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        for (String node : List.of("h100-a", "p100-b", "mig-c", "l40s-d")) {
            nodes.create(node, Map.of());
        }
        for (String type : List.of("gpu", "mig")) {
            created.add(create("DeviceClass", null, type + ".nvidia.com", Map.of("selectors", List.of(cel(
                    "device.driver == 'gpu.nvidia.com' && device.attributes['gpu.nvidia.com'].type == '" + type + "'")))));
        }
        List<Object> h100s = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            h100s.add(device("gpu-" + i, gpuAttributes(H100, "Hopper", "9.0.0", i), "81559Mi"));
        }
        created.add(slice("h100-a", h100s));
        Map<String, Object> p100 = gpuAttributes(P100, "Pascal", "6.0.0", -1);
        p100.put("brand", Map.of("string", "Tesla"));
        created.add(slice("p100-b", List.of(device("gpu-0", p100, "16Gi"))));
        List<Object> migs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Map<String, Object> a = gpuAttributes(H100, "Hopper", "9.0.0", -1);
            a.put("type", Map.of("string", "mig"));
            a.put("profile", Map.of("string", "1g.10gb"));
            migs.add(device("gpu-0-mig-1g10gb-19-" + i, a, "9856Mi"));
        }
        created.add(slice("mig-c", migs));
        // One L40S whose health monitor found XID 79: the scheduler (DRADeviceTaints on) gives it only to a claim that
        // tolerates the taint.
        Map<String, Object> l40s = new LinkedHashMap<>(device("gpu-0", gpuAttributes(L40S, "Ada Lovelace", "8.9.0", 0), "46068Mi"));
        l40s.put("taints", List.of(Map.of("key", "gpu.nvidia.com/xid", "value", "79", "effect", "NoSchedule")));
        created.add(slice("l40s-d", List.of(l40s)));
        // Two H100s held by another claim: the doctor must count them as allocated, as the scheduler does.
        createClaim("holder", exactly("gpu", "gpu.nvidia.com", 2, "device.attributes['gpu.nvidia.com'].productName == '"
                + H100 + "' && device.attributes['gpu.nvidia.com'].index < 2"));
        admin.pods().inNamespace(NS).resource(pod("holder")).create();
        await("the holder pod is bound").atMost(WAIT).until(() -> outcome("holder").isPresent());
        assertEquals("bound to h100-a", outcome("holder").orElseThrow());
    }

    @AfterAll
    void remove() {
        if (admin == null) {
            return;
        }
        admin.pods().inNamespace(NS).withGracePeriod(0).delete();
        admin.namespaces().withName(NS).delete();
        created.forEach(o -> admin.resource(o).delete());
        List.of("h100-a", "p100-b", "mig-c", "l40s-d").forEach(nodes::delete);
        // The next suite on this control plane may install the driver, whose operator creates the same DeviceClasses.
        await("this suite's DeviceClasses and slices are gone").atMost(WAIT)
                .until(() -> created.stream().allMatch(o -> admin.resource(o).get() == null));
    }

    @Test
    void theDoctorAgreesWithTheScheduler() throws Exception {
        List<Case> corpus = corpus();
        assertTrue(corpus.size() >= 60, "corpus of " + corpus.size());
        StringBuilder table = new StringBuilder("| claim | doctor | cause | scheduler | agree |\n|---|---|---|---|---|\n");
        List<String> disagreements = new ArrayList<>();
        for (Case c : corpus) {
            createClaim(c.name, c.devices);
            Loaded loaded = Sources.fromCluster(admin, NS, c.name);
            ClaimReport report = new ClaimDoctor(loaded.inventory()).explain(loaded.claim());
            admin.pods().inNamespace(NS).resource(pod(c.name)).create();
            await("the scheduler decides on " + c.name).atMost(WAIT).until(() -> outcome(c.name).isPresent());
            String scheduler = outcome(c.name).orElseThrow();
            // agreement, and a "cannot" always with a cause that names what to change
            boolean agree = report.satisfiable() == scheduler.startsWith("bound")
                    && report.satisfiable() == (report.cause() == io.alauda.dra.doctor.Cause.NONE);
            table.append("| ").append(c.name).append(" | ").append(report.verdict().replace("|", "\\|")).append(" | ")
                    .append(report.cause().label()).append(" | ")
                    .append(scheduler.replace("|", "\\|").replace("\n", " ")).append(" | ").append(agree ? "yes" : "**no**")
                    .append(" |\n");
            if (!agree) {
                disagreements.add(c.name + ": doctor " + report.verdict() + " (cause " + report.cause().label() + "); scheduler "
                        + scheduler);
            }
            admin.pods().inNamespace(NS).withName(c.name).withGracePeriod(0).delete();
            await().atMost(WAIT).until(() -> admin.pods().inNamespace(NS).withName(c.name).get() == null);
            admin.genericKubernetesResources(resources.apiVersion(), "ResourceClaim").inNamespace(NS).withName(c.name).delete();
            await().atMost(WAIT).until(() -> resources.claim(NS, c.name) == null);
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/doctor-agreement.md"), table + "\n" + (corpus.size() - disagreements.size())
                + " of " + corpus.size() + " agree\n");
        assertEquals(List.of(), disagreements);
    }

    /** "bound to NODE", or "PodScheduled=False REASON: MESSAGE", or empty while the scheduler has not decided. */
    private Optional<String> outcome(String name) {
        Pod p = admin.pods().inNamespace(NS).withName(name).get();
        if (p == null) {
            return Optional.empty();
        }
        if (p.getSpec().getNodeName() != null) {
            return Optional.of("bound to " + p.getSpec().getNodeName());
        }
        if (p.getStatus() == null || p.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return p.getStatus().getConditions().stream().filter(c -> c.getType().equals("PodScheduled") && c.getStatus().equals("False"))
                .findFirst().map((PodCondition c) -> "PodScheduled=False " + c.getReason() + ": " + c.getMessage());
    }

    private static List<Case> corpus() {
        List<Case> cs = new ArrayList<>();
        String a = "device.attributes['gpu.nvidia.com'].";
        String cap = "device.capacity['gpu.nvidia.com'].memory";
        int n = 0;
        for (String product : List.of(H100, P100, "Tesla P100-PCIE-16G", "nvidia h100 80gb hbm3", "NVIDIA A100-SXM4-80GB",
                "NVIDIA H100 80GB")) {
            cs.add(one("product-" + n++, "gpu", 1, a + "productName == '" + product + "'"));
        }
        cs.add(one("arch-hopper", "gpu", 1, a + "architecture in ['Hopper']"));
        cs.add(one("arch-pascal", "gpu", 1, a + "architecture in ['Pascal']"));
        cs.add(one("arch-ampere", "gpu", 1, a + "architecture in ['Ampere']"));
        cs.add(one("arch-either-2", "gpu", 2, a + "architecture in ['Hopper', 'Pascal']"));
        for (int count : List.of(1, 2, 6, 7, 8, 9)) {
            cs.add(one("count-" + count, "gpu", count));
        }
        cs.add(one("index-ge-6", "gpu", 1, a + "index >= 6"));
        cs.add(one("index-ge-6-count-3", "gpu", 3, a + "index >= 6"));
        cs.add(one("index-eq-0", "gpu", 1, a + "index == 0"));
        cs.add(one("index-ne-0-count-6", "gpu", 6, a + "index != 0"));
        cs.add(one("driver-gt-560", "gpu", 1, a + "driverVersion.isGreaterThan(semver('560.0.0'))"));
        cs.add(one("driver-gt-580", "gpu", 1, a + "driverVersion.isGreaterThan(semver('580.0.0'))"));
        cs.add(one("driver-cmp-eq", "gpu", 1, a + "driverVersion.compareTo(semver('570.124.6')) == 0"));
        cs.add(one("driver-eq-semver", "gpu", 1, a + "driverVersion == semver('570.124.6')"));
        cs.add(one("driver-eq-string", "gpu", 1, a + "driverVersion == '570.124.6'"));
        cs.add(one("driver-lt", "gpu", 1, a + "driverVersion.isLessThan(semver('570.124.6'))"));
        cs.add(one("cc-ge-9", "gpu", 1, a + "cudaComputeCapability.compareTo(semver('9.0.0')) >= 0"));
        cs.add(one("cc-ge-8-count-7", "gpu", 7, a + "cudaComputeCapability.compareTo(semver('8.0.0')) >= 0"));
        cs.add(one("cc-lt-7", "gpu", 1, a + "cudaComputeCapability.isLessThan(semver('7.0.0'))"));
        cs.add(one("cc-major-6", "gpu", 1, a + "cudaComputeCapability.major() == 6"));
        cs.add(one("mem-ge-80gi", "gpu", 1, cap + ".compareTo(quantity('80Gi')) >= 0"));
        cs.add(one("mem-ge-79gi", "gpu", 1, cap + ".compareTo(quantity('79Gi')) >= 0"));
        cs.add(one("mem-gt-16gi-count-6", "gpu", 6, cap + ".isGreaterThan(quantity('16Gi'))"));
        cs.add(one("mem-lt-10gi", "gpu", 1, cap + ".isLessThan(quantity('10Gi'))"));
        cs.add(one("mem-ge-16gi-count-2", "gpu", 2, cap + ".compareTo(quantity('16Gi')) >= 0"));
        cs.add(one("missing-attribute", "gpu", 1, a + "productname == 'x'"));
        cs.add(one("has-profile", "gpu", 1, "has(" + a + "profile)"));
        cs.add(one("in-map-profile", "gpu", 1, "'profile' in device.attributes['gpu.nvidia.com']"));
        cs.add(one("missing-domain", "gpu", 1, "device.attributes['example.com'].foo == 'x'"));
        cs.add(all("all-gpu", "gpu"));
        cs.add(all("all-h100", "gpu", a + "productName == '" + H100 + "'"));
        cs.add(all("all-p100", "gpu", a + "productName == '" + P100 + "'"));
        cs.add(all("all-mig", "mig"));
        cs.add(all("all-ampere", "gpu", a + "architecture == 'Ampere'"));
        cs.add(all("all-index-ge-2", "gpu", a + "index >= 2"));
        cs.add(one("mig-1", "mig", 1));
        cs.add(one("mig-2", "mig", 2));
        cs.add(one("mig-3", "mig", 3));
        cs.add(one("mig-profile", "mig", 1, a + "profile == '1g.10gb'"));
        cs.add(one("mig-profile-2g", "mig", 1, a + "profile == '2g.20gb'"));
        cs.add(one("mig-p100", "mig", 1, a + "productName == '" + P100 + "'"));
        cs.add(new Case("two-3-3", devices(List.of(exactlyReq("a", "gpu", 3), exactlyReq("b", "gpu", 3)), List.of())));
        cs.add(new Case("two-3-4", devices(List.of(exactlyReq("a", "gpu", 3), exactlyReq("b", "gpu", 4)), List.of())));
        cs.add(new Case("gpu-and-mig", devices(List.of(exactlyReq("a", "gpu", 1), exactlyReq("b", "mig", 1)), List.of())));
        cs.add(new Case("match-product-h100", devices(List.of(exactlyReq("a", "gpu", 1, a + "productName == '" + H100 + "'"),
                exactlyReq("b", "gpu", 1)), List.of(match("gpu.nvidia.com/productName")))));
        cs.add(new Case("match-product-p100-two", devices(List.of(exactlyReq("a", "gpu", 1, a + "productName == '" + P100 + "'"),
                exactlyReq("b", "gpu", 1)), List.of(match("gpu.nvidia.com/productName")))));
        cs.add(new Case("match-arch-gpu-mig", devices(List.of(exactlyReq("a", "gpu", 1), exactlyReq("b", "mig", 1)),
                List.of(match("gpu.nvidia.com/architecture")))));
        cs.add(new Case("match-index-two", devices(List.of(exactlyReq("a", "gpu", 1), exactlyReq("b", "gpu", 1)),
                List.of(match("gpu.nvidia.com/index")))));
        cs.add(new Case("match-uuid-count-2", devices(List.of(exactlyReq("a", "gpu", 2)), List.of(match("gpu.nvidia.com/uuid")))));
        cs.add(new Case("match-driver-count-6", devices(List.of(exactlyReq("a", "gpu", 6)),
                List.of(match("gpu.nvidia.com/driverVersion")))));
        cs.add(firstAvailable("first-a100-h100", sub("a100", "gpu", 1, a + "productName == 'NVIDIA A100-SXM4-80GB'"),
                sub("h100", "gpu", 1, a + "productName == '" + H100 + "'")));
        cs.add(firstAvailable("first-9-6", sub("nine", "gpu", 9), sub("six", "gpu", 6)));
        cs.add(firstAvailable("first-a100-p100x2", sub("a100", "gpu", 1, a + "productName == 'NVIDIA A100-SXM4-80GB'"),
                sub("p100", "gpu", 2, a + "productName == '" + P100 + "'")));
        cs.add(firstAvailable("first-typo-p100", sub("typo", "gpu", 1, a + "productName == 'Tesla P100'"),
                sub("p100", "gpu", 1, a + "productName == '" + P100 + "'")));
        cs.add(one("class-missing", "gpu.nvidia.co", 1));
        cs.add(one("brand-tesla", "gpu", 1, a + "brand == 'Tesla'"));
        cs.add(one("bind-hopper-index", "gpu", 1, "cel.bind(g, device.attributes['gpu.nvidia.com'], g.architecture == 'Hopper' && g.index > 5)"));
        cs.add(one("starts-with-nvidia", "gpu", 1, a + "productName.startsWith('NVIDIA')"));
        cs.add(one("not-hopper", "gpu", 1, "!(" + a + "architecture == 'Hopper')"));
        cs.add(one("driver-name", "gpu", 1, "device.driver == 'gpu.nvidia.com'"));
        cs.add(one("or-ampere-pascal", "gpu", 1, a + "architecture == 'Ampere' || " + a + "architecture == 'Pascal'"));
        String l40s = a + "productName == '" + L40S + "'";
        cs.add(one("tainted", "gpu", 1, l40s));
        cs.add(tolerating(one("tainted-tolerated", "gpu", 1, l40s),
                Map.of("key", "gpu.nvidia.com/xid", "operator", "Exists", "effect", "NoSchedule")));
        cs.add(tolerating(one("tainted-other-xid-tolerated", "gpu", 1, l40s),
                Map.of("key", "gpu.nvidia.com/xid", "operator", "Equal", "value", "48", "effect", "NoSchedule")));
        cs.add(all("all-tainted", "gpu", l40s));
        cs.add(tolerating(all("all-tainted-tolerated", "gpu", l40s), Map.of("operator", "Exists")));
        return cs;
    }

    private static Case one(String name, String cls, int count, String... selectors) {
        return new Case(name, devices(List.of(exactlyReq("r", cls, count, selectors)), List.of()));
    }

    private static Case all(String name, String cls, String... selectors) {
        Map<String, Object> r = exactlyReq("r", cls, 1, selectors);
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) r.get("exactly");
        body.remove("count");
        body.put("allocationMode", "All");
        return new Case(name, devices(List.of(r), List.of()));
    }

    /** The case's only request with this toleration of device taints. */
    @SuppressWarnings("unchecked")
    private static Case tolerating(Case c, Map<String, Object> toleration) {
        Map<String, Object> request = (Map<String, Object>) ((List<Object>) c.devices().get("requests")).get(0);
        ((Map<String, Object>) request.get("exactly")).put("tolerations", List.of(toleration));
        return c;
    }

    private static Case firstAvailable(String name, Map<String, Object>... subs) {
        return new Case(name, devices(List.of(Map.of("name", "r", "firstAvailable", List.of(subs))), List.of()));
    }

    private static Map<String, Object> sub(String name, String cls, int count, String... selectors) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", name);
        s.put("deviceClassName", cls.contains(".") ? cls : cls + ".nvidia.com");
        s.put("count", count);
        List<Object> sel = new ArrayList<>();
        for (String e : selectors) {
            sel.add(cel(e));
        }
        s.put("selectors", sel);
        return s;
    }

    private static Map<String, Object> exactlyReq(String name, String cls, int count, String... selectors) {
        Map<String, Object> body = sub(name, cls, count, selectors);
        body.remove("name");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", name);
        r.put("exactly", body);
        return r;
    }

    private static Map<String, Object> exactly(String name, String cls, int count, String... selectors) {
        return devices(List.of(exactlyReq(name, cls, count, selectors)), List.of());
    }

    private static Map<String, Object> devices(List<Object> requests, List<Object> constraints) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("requests", requests);
        if (!constraints.isEmpty()) {
            d.put("constraints", constraints);
        }
        return d;
    }

    private static Map<String, Object> match(String attribute) {
        return Map.of("matchAttribute", attribute);
    }

    private static Map<String, Object> cel(String expression) {
        return Map.of("cel", Map.of("expression", expression));
    }

    private static Map<String, Object> gpuAttributes(String product, String architecture, String cc, int index) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("architecture", Map.of("string", architecture));
        a.put("brand", Map.of("string", "Nvidia"));
        a.put("cudaComputeCapability", Map.of("version", cc));
        a.put("cudaDriverVersion", Map.of("version", "12.8.0"));
        a.put("driverVersion", Map.of("version", "570.124.6"));
        a.put("productName", Map.of("string", product));
        a.put("type", Map.of("string", "gpu"));
        a.put("uuid", Map.of("string", "GPU-" + product.hashCode() + "-" + index + "-" + architecture));
        if (index >= 0) {
            a.put("index", Map.of("int", index));
        }
        return a;
    }

    private static Map<String, Object> device(String name, Map<String, Object> attributes, String memory) {
        return Map.of("name", name, "attributes", attributes, "capacity", Map.of("memory", Map.of("value", memory)));
    }

    private GenericKubernetesResource slice(String node, List<Object> devices) {
        return create("ResourceSlice", null, node + "-gpu.nvidia.com", Map.of("driver", DRIVER, "nodeName", node,
                "pool", Map.of("name", node, "generation", 1, "resourceSliceCount", 1), "devices", devices));
    }

    private void createClaim(String name, Map<String, Object> devices) {
        create("ResourceClaim", NS, name, Map.of("devices", devices));
    }

    private GenericKubernetesResource create(String kind, String namespace, String name, Map<String, Object> spec) {
        GenericKubernetesResource o = new GenericKubernetesResource();
        o.setApiVersion(resources.apiVersion());
        o.setKind(kind);
        o.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        o.setAdditionalProperty("spec", spec);
        if (namespace == null) {
            // Suites share the control plane: a DeviceClass of that name an operator suite left behind (or is still
            // deleting, foreground) would refuse the create.
            GenericKubernetesResource left = admin.resource(o).get();
            if (left != null && left.getMetadata().getDeletionTimestamp() == null) {
                admin.resource(o).delete();
            }
            await(kind + " " + name + " of an earlier suite is gone").atMost(WAIT).until(() -> admin.resource(o).get() == null);
        }
        return admin.resource(o).create();
    }

    private static Pod pod(String claim) {
        return new PodBuilder().withNewMetadata().withName(claim).withNamespace(NS).endMetadata()
                .withNewSpec()
                .addNewResourceClaim().withName("gpu").withResourceClaimName(claim).endResourceClaim()
                .addNewContainer().withName("c").withImage("registry.invalid/none:1")
                .withNewResources().addNewClaim().withName("gpu").endClaim().endResources().endContainer()
                .endSpec().build();
    }
}
