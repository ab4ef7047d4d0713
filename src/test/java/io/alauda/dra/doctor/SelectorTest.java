package io.alauda.dra.doctor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SelectorTest {

    @Test
    void constantLookupsAreMemoizedOtherUsesAreNot() throws SelectorException {
        assertTrue(DraCel.get().compile("device.attributes['gpu.nvidia.com'].productName == 'x' && device.driver == 'a'").memoized());
        assertTrue(DraCel.get().compile("has(device.attributes['gpu.nvidia.com'].productName)").memoized());
        assertTrue(DraCel.get().compile("cel.bind(g, device.attributes['gpu.nvidia.com'], g.productName == 'x')").memoized());
        // uses of a domain's map that depend only on the names published in it
        assertTrue(DraCel.get().compile("cel.bind(g, device.attributes['gpu.nvidia.com'], g.size() > 3)").memoized());
        assertTrue(DraCel.get().compile("cel.bind(g, device.attributes['gpu.nvidia.com'], 'x' in g)").memoized());
        assertTrue(DraCel.get().compile("device.attributes['gpu.nvidia.com'].exists(k, k == 'x')").memoized());
        assertTrue(DraCel.get().compile("size(device.capacity['gpu.nvidia.com']) == 1").memoized());
        // values reached through the loop variable, or the whole map handed on, are not
        assertFalse(DraCel.get().compile("device.attributes['gpu.nvidia.com'].exists(k, device.attributes['gpu.nvidia.com'][k] == 'x')")
                .memoized());
        assertFalse(DraCel.get().compile("cel.bind(g, device.attributes['gpu.nvidia.com'], g.exists(k, g[k] == 'x'))").memoized());
        assertFalse(DraCel.get().compile("device.attributes['gpu.nvidia.com'] == device.attributes['gpu.nvidia.com']").memoized());
    }

    @Test
    void nameSetAnswersFollowTheNamesPublished() throws SelectorException {
        Selector s = DraCel.get().compile("device.attributes['gpu.nvidia.com'].exists(k, k == 'index')");
        Device noIndex = new Device("gpu.nvidia.com", "n", "gpu-9", "n", null, false,
                java.util.Map.of("type", AttributeValue.string("gpu"), "productName", AttributeValue.string(Fakes.P100)),
                java.util.Map.of(), java.util.List.of());
        assertEquals(SelectorResult.Status.MATCH, s.evaluate(new DeviceVars(Fakes.gpu("n", 0, Fakes.H100))).status());
        assertEquals(SelectorResult.Status.NO_MATCH, s.evaluate(new DeviceVars(noIndex)).status());
        assertEquals(SelectorResult.Status.MATCH, s.evaluate(new DeviceVars(Fakes.gpu("m", 5, Fakes.P100))).status());
        assertEquals(SelectorResult.Status.NO_MATCH, DraCel.get().compile("'index' in device.attributes['gpu.nvidia.com']")
                .evaluate(new DeviceVars(noIndex)).status());
    }

    @Test
    void memoizedAnswersAreTheSameForEveryDeviceWithTheSameValues() throws SelectorException {
        Selector s = DraCel.get().compile("device.attributes['gpu.nvidia.com'].index == 1");
        DeviceVars a = new DeviceVars(Fakes.gpu("n", 1, Fakes.H100));
        DeviceVars b = new DeviceVars(Fakes.gpu("m", 0, Fakes.H100));
        DeviceVars c = new DeviceVars(Fakes.gpu("o", 1, Fakes.P100));
        assertEquals(SelectorResult.Status.MATCH, s.evaluate(a).status());
        assertEquals(SelectorResult.Status.NO_MATCH, s.evaluate(b).status());
        assertEquals(SelectorResult.Status.MATCH, s.evaluate(c).status());
    }

    @Test
    void bindVariableLookupsAreKeyedByTheirValues() throws SelectorException {
        Selector s = DraCel.get().compile("cel.bind(g, device.attributes['gpu.nvidia.com'], g.index == 1 && g.type == 'gpu')");
        assertEquals(SelectorResult.Status.MATCH, s.evaluate(new DeviceVars(Fakes.gpu("n", 1, Fakes.H100))).status());
        SelectorResult no = s.evaluate(new DeviceVars(Fakes.gpu("m", 0, Fakes.H100)));
        assertEquals(SelectorResult.Status.NO_MATCH, no.status());
        assertEquals(SelectorResult.Status.MATCH, s.evaluate(new DeviceVars(Fakes.gpu("o", 1, Fakes.P100))).status());
    }

    @Test
    void hasOnAMissingAttributeIsFalseNotAnError() throws SelectorException {
        Selector s = DraCel.get().compile("has(device.attributes['gpu.nvidia.com'].profile)");
        SelectorResult r = s.evaluate(new DeviceVars(Fakes.gpu("n", 0, Fakes.H100)));
        assertEquals(SelectorResult.Status.NO_MATCH, r.status());
        assertEquals("gpu.nvidia.com/profile is not published by this device", r.why());
    }

    @Test
    void unknownDomainIsAnError() throws SelectorException {
        SelectorResult r = DraCel.get().compile("device.attributes['dra.example.com'].model == 'x'")
                .evaluate(new DeviceVars(Fakes.gpu("n", 0, Fakes.H100)));
        assertEquals(SelectorResult.Status.ERROR, r.status());
        assertEquals("no attributes in domain 'dra.example.com' on this device (Kubernetes: 'no such key'; the scheduler "
                + "stops allocating on this node with a CEL runtime error)", r.why());
    }

    @Test
    void unknownFieldOfDeviceDoesNotCompile() {
        SelectorException e = assertThrows(SelectorException.class, () -> DraCel.get().compile("device.model == 'x'"));
        assertTrue(e.getMessage().contains("undefined field 'model'"), e.getMessage());
    }

    @Test
    void bareAttributeNamesBelongToTheDriverDomain() throws SelectorException {
        SelectorResult r = DraCel.get().compile("device.attributes['resource.kubernetes.io'].pcieRoot == 'pci0000:10'")
                .evaluate(new DeviceVars(Fakes.gpu("n", 0, Fakes.H100)));
        assertEquals(SelectorResult.Status.MATCH, r.status());
    }
}
