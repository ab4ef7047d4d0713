package io.alauda.dra.doctor;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.alauda.dra.doctor.Fakes.H100;
import static io.alauda.dra.doctor.Fakes.attr;
import static io.alauda.dra.doctor.Fakes.claim;
import static io.alauda.dra.doctor.Fakes.gpu;
import static io.alauda.dra.doctor.Fakes.gpus;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The one-word cause names the closest the claim came to being allocated. */
class CauseTest {

    private static Cause cause(Inventory inventory, Claim claim) {
        return new ClaimDoctor(inventory).explain(claim).cause();
    }

    private static Inventory twoH100s(List<Allocation> allocations) {
        return Fakes.inventory(List.of(gpu("node-a", 0, H100), gpu("node-a", 1, H100)), allocations);
    }

    @Test
    void satisfiableIsNone() {
        assertEquals(Cause.NONE, cause(Fakes.small(), claim(gpus("gpu", 1))));
    }

    @Test
    void aSelectorNoDevicePassesIsSelector() {
        assertEquals(Cause.SELECTOR, cause(Fakes.small(), claim(gpus("gpu", 1, attr("productName") + " == 'Tesla P100-PCIE-16G'"))));
    }

    @Test
    void aMissingDeviceClassIsAnInvalidRequest() {
        Request typo = Request.exact("gpu", "gpu.nvidia.con", 1);
        assertEquals(Cause.INVALID_REQUEST, cause(Fakes.small(), claim(typo)));
    }

    @Test
    void wantedDevicesHeldByOthersIsAllocatedEvenBesideDevicesTheSelectorRefuses() {
        Inventory inv = Fakes.inventory(List.of(gpu("node-a", 0, H100), gpu("node-b", 0, Fakes.P100)),
                List.of(new Allocation("team/x", "gpu.nvidia.com", "node-a", "gpu-0", false)));
        assertEquals(Cause.ALLOCATED, cause(inv, claim(gpus("gpu", 1, attr("productName") + " == '" + H100 + "'"))));
    }

    @Test
    void tooFewOnOneNodeIsCount() {
        assertEquals(Cause.COUNT, cause(twoH100s(List.of()), claim(gpus("gpu", 3))));
    }

    @Test
    void capacityShortIsCapacity() {
        assertEquals(Cause.CAPACITY, cause(twoH100s(List.of()),
                claim(gpus("gpu", 1).withCapacity(Map.of("memory", Quantity.parse("90Gi"))))));
    }

    @Test
    void anUntoleratedTaintIsTainted() {
        Device tainted = new Device("gpu.nvidia.com", "node-a", "gpu-0", "node-a", null, false,
                Fakes.gpuAttributes(H100, "Hopper", "9.0.0", 0, "GPU-x"), Map.of(),
                List.of(new Taint("gpu.nvidia.com/gpu-lost", "", "NoExecute")));
        assertEquals(Cause.TAINTED, cause(Fakes.inventory(List.of(tainted), List.of()), claim(gpus("gpu", 1))));
    }

    @Test
    void devicesOnlyOnVanishedNodesIsNode() {
        Inventory inv = new Inventory(List.of(gpu("node-z", 0, H100)), List.of(Fakes.GPU_CLASS), List.of(),
                List.of(new Node("node-a", Map.of())), java.util.Set.of());
        assertEquals(Cause.NODE, cause(inv, claim(gpus("gpu", 1))));
    }

    @Test
    void nothingPublishedIsNoDevices() {
        assertEquals(Cause.NO_DEVICES, cause(Fakes.inventory(List.of(), List.of()), claim(gpus("gpu", 1))));
    }

    @Test
    void adminAccessOutsideAnAdminNamespaceIsAdminAccess() {
        assertEquals(Cause.ADMIN_ACCESS, cause(Fakes.small(), claim(gpus("gpu", 1).withAdminAccess(true))));
    }
}
