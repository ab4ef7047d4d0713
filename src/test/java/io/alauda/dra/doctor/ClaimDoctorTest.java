package io.alauda.dra.doctor;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.alauda.dra.doctor.Fakes.H100;
import static io.alauda.dra.doctor.Fakes.P100;
import static io.alauda.dra.doctor.Fakes.attr;
import static io.alauda.dra.doctor.Fakes.claim;
import static io.alauda.dra.doctor.Fakes.gpu;
import static io.alauda.dra.doctor.Fakes.gpus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClaimDoctorTest {

    private static ClaimReport explain(Inventory inv, Claim claim) {
        return new ClaimDoctor(inv).explain(claim);
    }

    private static DeviceVerdict device(RequestVerdict v, String id) {
        return v.devices().stream().filter(d -> d.device().equals(id)).findFirst().orElseThrow();
    }

    private static void contains(String text, String part) {
        assertTrue(text != null && text.contains(part), () -> "expected <" + part + "> in <" + text + ">");
    }

    @Test
    void seedSelectorAgainstH100sNamesTheActualProductAndTheNearMiss() {
        Inventory inv = Fakes.inventory(List.of(gpu("node-a", 0, H100), gpu("node-a", 1, H100)), List.of());
        ClaimReport r = explain(inv, claim(gpus("gpu", 1, attr("productName") + " == 'Tesla P100-PCIE-16GB'")));
        assertFalse(r.satisfiable());
        RequestVerdict v = r.requests().get(0);
        DeviceVerdict d = device(v, "gpu.nvidia.com/node-a/gpu-0");
        assertEquals(Reason.SELECTOR_FALSE, d.reason());
        assertEquals("gpu.nvidia.com/productName is 'NVIDIA H100 80GB HBM3', wanted 'Tesla P100-PCIE-16GB'", d.detail());
        assertEquals(1, v.nearMisses().size());
        contains(v.nearMisses().get(0), "gpu.nvidia.com/productName is 'NVIDIA H100 80GB HBM3' on 2 devices");
        contains(v.nearMisses().get(0), "no device has 'Tesla P100-PCIE-16GB'");
        contains(r.verdict(), "cannot be allocated: request gpu cannot be met: 0 of 2 devices match (2 selector false)");
    }

    @Test
    void typoInProductNameSuggestsThePublishedValue() {
        ClaimReport r = explain(Fakes.small(), claim(gpus("gpu", 1, attr("productName") + " == 'tesla p100 pcie 16gb'")));
        contains(r.requests().get(0).nearMisses().get(0), "did you mean 'Tesla P100-PCIE-16GB'?");
        ClaimReport r2 = explain(Fakes.small(), claim(gpus("gpu", 1, attr("productName") + " == 'NVIDIA H100 80GB HBM'")));
        contains(r2.requests().get(0).nearMisses().get(0), "did you mean 'NVIDIA H100 80GB HBM3'?");
    }

    @Test
    void seedSelectorMatchesTheP100() {
        ClaimReport r = explain(Fakes.small(), claim(gpus("gpu", 1, attr("productName") + " == '" + P100 + "'")));
        assertTrue(r.satisfiable());
        assertEquals(List.of("node-b"), r.nodes());
        assertEquals(Reason.MATCHES, device(r.requests().get(0), "gpu.nvidia.com/node-b/gpu-0").reason());
    }

    @Test
    void missingAttributeIsAnErrorAndTheCloseNameIsSuggested() {
        ClaimReport r = explain(Fakes.small(), claim(gpus("gpu", 1, attr("productname") + " == 'x'")));
        DeviceVerdict d = device(r.requests().get(0), "gpu.nvidia.com/node-a/gpu-0");
        assertEquals(Reason.SELECTOR_ERROR, d.reason());
        contains(d.detail(), "attribute gpu.nvidia.com/productname is not published by this device (Kubernetes: 'no such key'");
        contains(r.requests().get(0).nearMisses().get(0), "did you mean gpu.nvidia.com/productName?");
        contains(r.requests().get(0).summary(), "the scheduler stops with a CEL runtime error and binds the pod nowhere: "
                + "on node node-a it meets gpu.nvidia.com/node-a/gpu-0: attribute gpu.nvidia.com/productname is not published");
    }

    @Test
    void aRuntimeErrorOnAnyNodeStopsTheSchedulerUnlessEnoughDevicesComeFirst() {
        Device noIndex = new Device("gpu.nvidia.com", "node-b", "gpu-0", "node-b", null, false,
                Map.of("type", AttributeValue.string("gpu"), "productName", AttributeValue.string(P100)), Map.of(), List.of());
        Inventory inv = Fakes.inventory(List.of(gpu("node-a", 0, H100), gpu("node-a", 1, H100), noIndex), List.of());
        ClaimReport r = explain(inv, claim(gpus("gpu", 1, attr("index") + " >= 0")));
        assertFalse(r.satisfiable(), r.verdict());
        contains(r.verdict(), "on node node-b it meets gpu.nvidia.com/node-b/gpu-0: attribute gpu.nvidia.com/index is not published");
        // On node-a the matching devices come first: the scheduler never evaluates the one that fails there.
        Device late = new Device("gpu.nvidia.com", "node-a", "gpu-9", "node-a", null, false,
                Map.of("type", AttributeValue.string("gpu")), Map.of(), List.of());
        ClaimReport ok = explain(Fakes.inventory(List.of(gpu("node-a", 0, H100), late), List.of()),
                claim(gpus("gpu", 1, attr("index") + " >= 0")));
        assertTrue(ok.satisfiable(), ok.verdict());
        contains(ok.requests().get(0).summary(), "1 device makes a selector fail at run time, after enough devices are found");
    }

    @Test
    void versionComparedWithAStringIsATypeMismatch() {
        ClaimReport r = explain(Fakes.small(), claim(gpus("gpu", 1, attr("driverVersion") + " == '570.124'")));
        DeviceVerdict d = device(r.requests().get(0), "gpu.nvidia.com/node-a/gpu-0");
        assertEquals(Reason.SELECTOR_ERROR, d.reason());
        contains(d.detail(), "type mismatch: gpu.nvidia.com/driverVersion is version 570.124.6 (a version), "
                + "compared with '570.124' (a string)");
        contains(d.detail(), "compare versions as versions: device.attributes['gpu.nvidia.com'].driverVersion == "
                + "semver('570.124.0')");
        ClaimReport ordered = explain(Fakes.small(), claim(gpus("gpu", 1, attr("driverVersion") + " >= '580.0'")));
        DeviceVerdict o = device(ordered.requests().get(0), "gpu.nvidia.com/node-a/gpu-0");
        assertEquals(Reason.SELECTOR_ERROR, o.reason());
        contains(o.detail(), "compare versions as versions: device.attributes['gpu.nvidia.com'].driverVersion"
                + ".compareTo(semver('580.0.0')) >= 0");
    }

    @Test
    void orderedComparisonOfStringWithIntIsATypeMismatch() {
        ClaimReport r = explain(Fakes.small(), claim(gpus("gpu", 1, attr("productName") + " > 3")));
        DeviceVerdict d = device(r.requests().get(0), "gpu.nvidia.com/node-a/gpu-0");
        assertEquals(Reason.SELECTOR_ERROR, d.reason());
        contains(d.detail(), "type mismatch: gpu.nvidia.com/productName is 'NVIDIA H100 80GB HBM3' (a string), compared with 3 (a int)");
    }

    @Test
    void semverComparisonShowsBothVersions() {
        ClaimReport r = explain(Fakes.small(), claim(gpus("gpu", 1,
                attr("driverVersion") + ".isGreaterThan(semver('580.0.0'))")));
        assertFalse(r.satisfiable());
        assertEquals("gpu.nvidia.com/driverVersion is version 570.124.6, wanted greater than version 580.0.0",
                device(r.requests().get(0), "gpu.nvidia.com/node-a/gpu-0").detail());
        assertTrue(explain(Fakes.small(), claim(gpus("gpu", 1,
                attr("cudaComputeCapability") + ".compareTo(semver('9.0.0')) >= 0"))).satisfiable());
        assertTrue(explain(Fakes.small(), claim(gpus("gpu", 1,
                attr("driverVersion") + " == semver('v570.124.06', true)"))).satisfiable());
    }

    @Test
    void intComparisonAndInListShowTheActualValue() {
        ClaimReport r = explain(Fakes.small(), claim(gpus("gpu", 1, attr("index") + " >= 2")));
        assertEquals("gpu.nvidia.com/index is 0, wanted at least 2", device(r.requests().get(0), "gpu.nvidia.com/node-a/gpu-0").detail());
        ClaimReport in = explain(Fakes.small(), claim(gpus("gpu", 1, attr("architecture") + " in ['Ampere', 'Blackwell']")));
        assertEquals("gpu.nvidia.com/architecture is 'Hopper', not in ['Ampere', 'Blackwell']",
                device(in.requests().get(0), "gpu.nvidia.com/node-a/gpu-0").detail());
    }

    @Test
    void andReportsTheFalseOperandAndOrReportsAll() {
        ClaimReport and = explain(Fakes.small(), claim(gpus("gpu", 1,
                attr("architecture") + " == 'Hopper' && " + attr("index") + " == 7")));
        assertEquals("gpu.nvidia.com/index is 0, wanted 7", device(and.requests().get(0), "gpu.nvidia.com/node-a/gpu-0").detail());
        ClaimReport or = explain(Fakes.small(), claim(gpus("gpu", 1,
                attr("architecture") + " == 'Ampere' || " + attr("brand") + " == 'Quadro'")));
        assertEquals("none of the alternatives holds: gpu.nvidia.com/architecture is 'Hopper', wanted 'Ampere'; and "
                + "gpu.nvidia.com/brand is 'Nvidia', wanted 'Quadro'", device(or.requests().get(0), "gpu.nvidia.com/node-a/gpu-0").detail());
        ClaimReport not = explain(Fakes.small(), claim(gpus("gpu", 1, "!(" + attr("type") + " == 'gpu')")));
        contains(device(not.requests().get(0), "gpu.nvidia.com/node-a/gpu-0").detail(), "is true (negated)");
    }

    @Test
    void classSelectorFalseComesBeforeTheClaimSelector() {
        Device mig = new Device("gpu.nvidia.com", "node-a", "gpu-1-mig-1g10gb-19-0", "node-a", null, false,
                Map.of("type", AttributeValue.string("mig"), "productName", AttributeValue.string(H100)), Map.of(), List.of());
        ClaimReport r = explain(Fakes.inventory(List.of(mig), List.of()), claim(gpus("gpu", 1, attr("productName") + " == 'x'")));
        DeviceVerdict d = r.requests().get(0).devices().get(0);
        assertEquals(Reason.CLASS_SELECTOR_FALSE, d.reason());
        assertEquals("DeviceClass gpu.nvidia.com selector: gpu.nvidia.com/type is 'mig', wanted 'gpu'", d.detail());
    }

    @Test
    void capacityShortShowsWantedAndAvailable() {
        Request r = gpus("gpu", 1).withCapacity(Map.of("memory", Quantity.parse("90Gi")));
        ClaimReport rep = explain(Fakes.small(), claim(r));
        assertEquals("gpu.nvidia.com/memory: wanted 90Gi, device has 81559Mi",
                device(rep.requests().get(0), "gpu.nvidia.com/node-a/gpu-0").detail());
        assertEquals(Reason.CAPACITY_SHORT, device(rep.requests().get(0), "gpu.nvidia.com/node-a/gpu-0").reason());
        assertFalse(rep.satisfiable());
    }

    @Test
    void allocatedDevicesNameTheirClaims() {
        Inventory inv = Fakes.inventory(List.of(gpu("node-a", 0, H100)),
                List.of(new Allocation("team/train-0", "gpu.nvidia.com", "node-a", "gpu-0", false)));
        ClaimReport r = explain(inv, claim(gpus("gpu", 1)));
        DeviceVerdict d = r.requests().get(0).devices().get(0);
        assertEquals(Reason.ALLOCATED, d.reason());
        assertEquals("allocated to claim team/train-0", d.detail());
        assertFalse(r.satisfiable());
        // The claim's own allocation does not count against it.
        Inventory own = Fakes.inventory(List.of(gpu("node-a", 0, H100)),
                List.of(new Allocation("default/c", "gpu.nvidia.com", "node-a", "gpu-0", false)));
        assertTrue(explain(own, claim(gpus("gpu", 1))).satisfiable());
    }

    @Test
    void adminAccessIgnoresAllocationsButNeedsTheNamespaceLabel() {
        Inventory inv = Fakes.inventory(List.of(gpu("node-a", 0, H100)),
                List.of(new Allocation("team/train-0", "gpu.nvidia.com", "node-a", "gpu-0", false)));
        Request admin = gpus("gpu", 1).withAdminAccess(true);
        ClaimReport denied = explain(inv, claim(admin));
        assertFalse(denied.satisfiable());
        contains(denied.requests().get(0).summary(), "namespace default is not");
        ClaimReport allowed = explain(inv, new Claim("admin-ns", "c", List.of(admin), List.of()));
        assertTrue(allowed.satisfiable());
    }

    @Test
    void untoleratedTaintIsNamed() {
        Device tainted = new Device("gpu.nvidia.com", "node-a", "gpu-0", "node-a", null, false,
                Fakes.gpuAttributes(H100, "Hopper", "9.0.0", 0, "GPU-x"), Map.of(),
                List.of(new Taint("gpu.nvidia.com/xid", "79", "NoSchedule")));
        Inventory inv = Fakes.inventory(List.of(tainted), List.of());
        DeviceVerdict d = explain(inv, claim(gpus("gpu", 1))).requests().get(0).devices().get(0);
        assertEquals(Reason.TAINTED, d.reason());
        assertEquals("taint gpu.nvidia.com/xid=79:NoSchedule is not tolerated by the request", d.detail());
        Request tolerating = gpus("gpu", 1).withTolerations(List.of(new Toleration("gpu.nvidia.com/xid", "Exists", null, null)));
        assertTrue(explain(inv, claim(tolerating)).satisfiable());
    }

    @Test
    void nodeGoneAndNodeSelectorNotEligible() {
        Device gone = gpu("node-z", 0, H100);
        Device selected = new Device("gpu.nvidia.com", "fabric", "gpu-9", null,
                new NodeSelector(List.of(new NodeSelector.Term(List.of(new NodeSelector.Requirement("zone", "In", List.of("z1"))),
                        List.of()))), false, Fakes.gpuAttributes(H100, "Hopper", "9.0.0", 9, "GPU-9"), Map.of(), List.of());
        Inventory inv = new Inventory(List.of(gone, selected), List.of(Fakes.GPU_CLASS), List.of(),
                List.of(new Node("node-a", Map.of("zone", "z2"))), Set.of());
        RequestVerdict v = explain(inv, claim(gpus("gpu", 1))).requests().get(0);
        assertEquals(Reason.NODE_GONE, device(v, "gpu.nvidia.com/node-z/gpu-0").reason());
        assertEquals("node node-z is not in the cluster", device(v, "gpu.nvidia.com/node-z/gpu-0").detail());
        assertEquals(Reason.NODE_NOT_ELIGIBLE, device(v, "gpu.nvidia.com/fabric/gpu-9").reason());
        contains(device(v, "gpu.nvidia.com/fabric/gpu-9").detail(), "zone In [z1]");
    }

    @Test
    void countNotReachableOnOneNode() {
        ClaimReport r = explain(Fakes.small(), claim(gpus("gpu", 3)));
        assertFalse(r.satisfiable());
        contains(r.requests().get(0).summary(), "3 of 3 devices match; 3 wanted on one node, the most on one node is 2 (node-a)");
    }

    @Test
    void allocationModeAllNeedsEveryMatchingDeviceFree() {
        Inventory inv = Fakes.inventory(List.of(gpu("node-a", 0, H100), gpu("node-a", 1, H100)),
                List.of(new Allocation("team/x", "gpu.nvidia.com", "node-a", "gpu-1", false)));
        Request all = gpus("gpu", 0).withMode(Request.AllocationMode.ALL);
        ClaimReport r = explain(inv, claim(all));
        assertFalse(r.satisfiable());
        contains(r.requests().get(0).summary(), "allocationMode All needs every matching device of a node to be available: on node-a 1 of 2 are");
        assertTrue(explain(Fakes.small(), claim(all)).satisfiable());
    }

    @Test
    void matchAttributeAcrossRequestsThatShareNoValue() {
        Claim c = new Claim("default", "c", List.of(
                gpus("a", 1, attr("productName") + " == '" + H100 + "'"),
                gpus("b", 1, attr("index") + " == 0")),
                List.of(new Constraint(List.of(), "gpu.nvidia.com/productName")));
        Inventory inv = Fakes.inventory(List.of(gpu("node-a", 1, H100), gpu("node-a", 0, P100)), List.of());
        ClaimReport r = explain(inv, c);
        assertFalse(r.satisfiable());
        contains(r.verdict(), "matchAttribute gpu.nvidia.com/productName: no value shared by the requests "
                + "(a has 'NVIDIA H100 80GB HBM3', b has 'Tesla P100-PCIE-16GB')");
        assertTrue(explain(Fakes.small(), c).satisfiable());
    }

    @Test
    void twoRequestsCannotShareOneDevice() {
        Inventory inv = Fakes.inventory(List.of(gpu("node-a", 0, H100)), List.of());
        ClaimReport r = explain(inv, claim(gpus("a", 1), gpus("b", 1)));
        assertFalse(r.satisfiable());
        contains(r.verdict(), "the requests together need 2 distinct devices");
    }

    @Test
    void firstAvailableTakesTheFirstSubrequestThatFits() {
        Request sub1 = gpus("h200", 1, attr("productName") + " == 'NVIDIA H200'");
        Request sub2 = gpus("h100", 1, attr("productName") + " == '" + H100 + "'");
        Request parent = new Request("gpu", null, List.of(), Request.AllocationMode.EXACT_COUNT, 0, false, Map.of(),
                List.of(), List.of(sub1, sub2));
        ClaimReport r = explain(Fakes.small(), claim(parent));
        assertTrue(r.satisfiable());
        assertEquals("first available: gpu/h100 can be met (earlier ones cannot)", r.requests().get(0).summary());
        assertEquals("gpu/h200", r.requests().get(1).name());
        assertFalse(r.requests().get(1).satisfiable());
    }

    @Test
    void quantityFunctionsOnCapacity() {
        String sel = "device.capacity['gpu.nvidia.com'].memory.compareTo(quantity('79Gi')) >= 0";
        ClaimReport r = explain(Fakes.small(), claim(gpus("gpu", 1, sel)));
        assertTrue(r.satisfiable());
        assertEquals(Reason.MATCHES, device(r.requests().get(0), "gpu.nvidia.com/node-a/gpu-0").reason());
        assertEquals(Reason.SELECTOR_FALSE, device(r.requests().get(0), "gpu.nvidia.com/node-b/gpu-0").reason());
        assertEquals("capacity gpu.nvidia.com/memory is quantity 16Gi, compareTo(quantity 79Gi) is -1, wanted at least 0",
                device(r.requests().get(0), "gpu.nvidia.com/node-b/gpu-0").detail());
        ClaimReport less = explain(Fakes.small(), claim(gpus("gpu", 1,
                "device.capacity['gpu.nvidia.com'].memory.isGreaterThan(quantity('100Gi'))")));
        assertEquals("capacity gpu.nvidia.com/memory is quantity 81559Mi, wanted greater than quantity 100Gi",
                device(less.requests().get(0), "gpu.nvidia.com/node-a/gpu-0").detail());
    }

    @Test
    void missingDeviceClassSuggestsTheCloseName() {
        ClaimReport r = explain(Fakes.small(), claim(Request.exact("gpu", "gpu.nvidia.co", 1)));
        assertFalse(r.satisfiable());
        assertEquals("DeviceClass 'gpu.nvidia.co' does not exist; did you mean 'gpu.nvidia.com'?", r.requests().get(0).summary());
    }

    @Test
    void selectorThatDoesNotCompileIsNamed() {
        ClaimReport r = explain(Fakes.small(), claim(gpus("gpu", 1, "device.attributes['gpu.nvidia.com'].productName ==")));
        contains(r.requests().get(0).summary(), "selector #1");
        contains(r.requests().get(0).summary(), "compilation failed");
        ClaimReport notBool = explain(Fakes.small(), claim(gpus("gpu", 1, "device.driver")));
        contains(notBool.requests().get(0).summary(), "must evaluate to bool, not string");
    }

    @Test
    void costAboveTheKubernetesLimitIsRejected() {
        String nested = "device.attributes['gpu.nvidia.com'].all(a, device.attributes['gpu.nvidia.com'].all(b, "
                + "device.attributes['gpu.nvidia.com'].all(c, device.attributes['gpu.nvidia.com'].all(d, "
                + "a.matches(b) && c.matches(d)))))";
        ClaimReport r = explain(Fakes.small(), claim(gpus("gpu", 1, nested)));
        contains(r.requests().get(0).summary(), "exceeds the limit of 1000000");
    }

    @Test
    void bindingsWork() {
        ClaimReport r = explain(Fakes.small(), claim(gpus("gpu", 1,
                "cel.bind(g, device.attributes['gpu.nvidia.com'], g.architecture == 'Hopper' && g.index == 1)")));
        assertTrue(r.satisfiable());
        assertEquals(1, r.requests().get(0).matching());
    }
}
