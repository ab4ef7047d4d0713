package io.alauda.dra.cdi;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
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
        assertRejected("{\n  \"cdiVersion\": \"0.3.0\",\n}", "invalid JSON at line 3, column 1: Unexpected character ('}'");
        assertRejected("{\"kind\": \"a/b\", \"kind\": \"a/c\"}", "invalid JSON at line 1, column 23: Duplicate field 'kind'");
        assertRejected("{\"kind\": \"a/b\"} {}", "invalid JSON at line 1, column 18: unexpected text after the spec");
        assertRejected("{\"kind\": \"a/b\"} x", "invalid JSON at line 1, column 17: Unrecognized token 'x'");
        assertRejected("", "invalid JSON at line 1: No content to map");
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

    @Test
    void nullsInsideListsAndNonWholeOrHugeNumbersAreRejectedByPath() {
        assertRejected("{\"containerEdits\": {\"env\": [\"A=1\", null]}}", "field 'containerEdits.env[1]' must not be null");
        assertRejected("{\"devices\": [null]}", "field 'devices[0]' must not be null");
        assertRejected("{\"annotations\": {\"a\": null}}", "field 'annotations.a' must not be null");
        assertRejected("{\"devices\": [{\"name\": \"x\", \"containerEdits\": {\"deviceNodes\": [{\"path\": \"/d\", "
                + "\"minor\": 99999999999999999999}]}}]}",
                "field 'devices[0].containerEdits.deviceNodes[0].minor' must be a whole number that fits 64 bits, got 99999999999999999999");
        assertRejected("{\"kind\": true}", "field 'kind' must be a string, got a boolean");
        assertRejected("{\"containerEdits\": {\"additionalGids\": [\"5\"]}}", "field 'containerEdits.additionalGids[0]' must be a number, got a string");
        assertRejected("{\"devices\": [{\"name\": \"x\", \"containerEdits\": {\"hooks\": [{\"hookName\": \"h\", \"timeout\": 2147483648}]}}]}",
                "field 'devices[0].containerEdits.hooks[0].timeout' is out of range: 2147483648");
        assertRejected("null", "field 'spec' must be an object, got null");
    }

    @Test
    void unknownFieldsAtTheTopAndTheDriverNeverWrittenIntelRdtAreNamed() {
        assertRejected("{\"cdiVersion\": \"0.3.0\", \"extra\": 1}",
                "unknown field 'extra' in spec; allowed: annotations, cdiVersion, containerEdits, devices, kind");
        assertRejected("{\"devices\": [{\"name\": \"x\", \"containerEdits\": {\"intelRdt\": {}}}]}",
                "field 'devices[0].containerEdits.intelRdt' is valid CDI but never written by this driver");
    }

    @Test
    void zeroIdsAndModesAreWrittenNotLeftOut() {
        DeviceNode root = new DeviceNode("/dev/x", null, null, 0L, 0L, 0, null, 0L, 0L);
        Spec spec = new Spec("0.7.0", "example.com/gpu",
                List.of(new Device("d", new ContainerEdits(null, List.of(root), null, null, List.of(0L)))), null);

        String json = SpecJson.toJson(spec);

        assertTrue(json.contains("\"major\": 0,\n            \"minor\": 0,\n            \"fileMode\": 0,\n"
                + "            \"uid\": 0,\n            \"gid\": 0\n"), json);
        assertTrue(json.contains("\"additionalGids\": [\n          0\n        ]"), json);
    }

    /** Specs discover printed on real nodes (committed under nvml/captures) read and write back unchanged. */
    @Test
    void committedSpecsFromRealNodesAreReadAndWrittenBackByteForByte() throws Exception {
        for (String node : List.of("h100-x1", "h100-x2")) {
            Path file = Path.of(SpecJsonTest.class.getResource("/nvml/captures/" + node + "/discover-cdi.json").toURI());
            String text = Files.readString(file);

            Spec spec = SpecJson.fromJson(text);

            assertEquals(List.of(), SpecValidator.problems(spec), node);
            assertEquals(text, SpecJson.toJson(spec), node);
        }
    }
}
