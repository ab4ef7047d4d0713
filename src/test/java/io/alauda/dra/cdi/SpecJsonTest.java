package io.alauda.dra.cdi;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpecJsonTest {

    private static void assertRejected(String json, String fragment) {
        CdiException e = assertThrows(CdiException.class, () -> SpecJson.fromJson(json));
        assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    @Test
    void leavesUnsetFieldsOutAndKeepsTheRequiredDeviceEdits() {
        Spec spec = new Spec("0.3.0", "example.com/gpu", List.of(new Device("gpu0", ContainerEdits.EMPTY)), null);

        assertEquals("{\n"
                + "  \"cdiVersion\": \"0.3.0\",\n"
                + "  \"kind\": \"example.com/gpu\",\n"
                + "  \"devices\": [\n"
                + "    {\n"
                + "      \"name\": \"gpu0\",\n"
                + "      \"containerEdits\": {}\n"
                + "    }\n"
                + "  ]\n"
                + "}\n", SpecJson.toJson(spec));
    }

    @Test
    void writesEveryFieldInTheGoStructOrder() {
        DeviceNode node = new DeviceNode("/dev/x", "/h/dev/x", "c", 1L, 2L, 0640, "rw", 3L, 4L);
        Mount mount = new Mount("/h/a", "/a", "bind", List.of("ro"));
        Hook hook = new Hook("poststop", "/bin/h", List.of("h"), List.of("A=1"), 5);
        ContainerEdits edits = new ContainerEdits(List.of("E=1"), List.of(node), List.of(mount), List.of(hook), List.of(4L));
        Spec spec = new Spec("0.7.0", "example.com/gpu", Specs.annotations("k", "v"),
                List.of(new Device("d", Specs.annotations("dk", "dv"), edits)), null);

        String json = SpecJson.toJson(spec);

        assertTrue(json.contains("\"path\": \"/dev/x\",\n"
                + "            \"hostPath\": \"/h/dev/x\",\n"
                + "            \"type\": \"c\",\n"
                + "            \"major\": 1,\n"
                + "            \"minor\": 2,\n"
                + "            \"fileMode\": 416,\n"
                + "            \"permissions\": \"rw\",\n"
                + "            \"uid\": 3,\n"
                + "            \"gid\": 4\n"), json);
        assertTrue(json.indexOf("\"env\"") < json.indexOf("\"deviceNodes\"")
                && json.indexOf("\"deviceNodes\"") < json.indexOf("\"hooks\"")
                && json.indexOf("\"hooks\"") < json.indexOf("\"mounts\"")
                && json.indexOf("\"mounts\"") < json.indexOf("\"additionalGids\""), json);
        assertTrue(json.contains("\"options\": [\n              \"ro\"\n            ],\n            \"type\": \"bind\""), json);
        assertTrue(json.contains("\"timeout\": 5"), json);
    }

    @Test
    void roundTripsEveryField() throws Exception {
        DeviceNode node = new DeviceNode("/dev/x", "/h/dev/x", "c", 1L, 2L, 0640, "rw", 3L, 4L);
        Mount mount = new Mount("/h/a", "/a", "bind", List.of("ro", "nosuid"));
        Hook hook = new Hook("poststop", "/bin/h", List.of("h", "arg"), List.of("A=1"), 5);
        ContainerEdits edits = new ContainerEdits(List.of("E=1"), List.of(node), List.of(mount), List.of(hook), List.of(4L));
        Spec spec = new Spec("0.7.0", "example.com/gpu", Specs.annotations("k", "v"),
                List.of(new Device("d", Specs.annotations("dk", "dv"), edits)), edits);

        assertEquals(spec, SpecJson.fromJson(SpecJson.toJson(spec)));
    }

    @Test
    void malformedJsonIsRejectedWithLineAndColumn() {
        assertRejected("{\n  \"cdiVersion\": \"0.3.0\",\n}", "invalid JSON at line 3, column 1: ");
        assertRejected("{\"kind\": \"a/b\", \"kind\": \"a/c\"}", "Duplicate field 'kind'");
    }

    @Test
    void unknownFieldsAreRejectedWithTheirPath() {
        assertRejected("{\"cdiVersion\": \"0.3.0\", \"kind\": \"a/b\", \"devices\": [{\"name\": \"x\", "
                + "\"containerEdits\": {\"deviceNodes\": [{\"path\": \"/dev/x\", \"mode\": 1}]}}]}",
                "unknown field 'mode' in devices[0].containerEdits.deviceNodes[0]");
    }

    @Test
    void cdiFieldsThisDriverNeverWritesAreRejectedByName() {
        assertRejected("{\"cdiVersion\": \"1.1.0\", \"kind\": \"a/b\", \"devices\": [], "
                + "\"containerEdits\": {\"netDevices\": []}}", "containerEdits.netDevices");
    }

    @Test
    void wrongTypesNameTheField() {
        assertRejected("{\"cdiVersion\": 3}", "field 'cdiVersion' must be a string, got a number");
        assertRejected("{\"devices\": {}}", "field 'devices' must be an array, got an object");
        assertRejected("[]", "field 'spec' must be an object, got an array");
    }

    @Test
    void numbersMustBeWholeAndInRange() {
        String prefix = "{\"devices\": [{\"name\": \"x\", \"containerEdits\": {\"deviceNodes\": [{\"path\": \"/d\", ";
        assertRejected(prefix + "\"major\": 1.5}]}}]}", "'devices[0].containerEdits.deviceNodes[0].major' must be a whole number");
        assertRejected(prefix + "\"gid\": -1}]}}]}", "between 0 and 4294967295, got -1");
        assertRejected(prefix + "\"uid\": 4294967296}]}}]}", "got 4294967296");
    }

    @Test
    void annotationValuesMustBeStrings() {
        assertRejected("{\"annotations\": {\"a\": 1}}", "field 'annotations.a' must be a string");
    }
}
