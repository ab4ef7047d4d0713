package io.alauda.dra.cdi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpecValidatorTest {

    @TempDir
    Path tmp;

    /** Asserts the spec has exactly one problem and that it mentions every fragment. */
    private static void assertOneProblem(Spec spec, String... fragments) {
        List<String> problems = SpecValidator.problems(spec);
        assertEquals(1, problems.size(), problems.toString());
        for (String fragment : fragments) {
            assertTrue(problems.get(0).contains(fragment), "'" + problems.get(0) + "' lacks '" + fragment + "'");
        }
    }

    private static Spec withHook(Hook hook) {
        return Specs.withEdits(new ContainerEdits(null, List.of(Specs.NODE), null, List.of(hook), null));
    }

    private static Hook hook(String name, String path, List<String> env, Integer timeout) {
        return new Hook(name, path, List.of("x"), env, timeout);
    }

    @Test
    void aValidSpecHasNoProblems() throws Exception {
        assertEquals(List.of(), SpecValidator.problems(Specs.valid()));
        SpecValidator.validate(Specs.valid());
    }

    @Test
    void missingVersion() {
        assertOneProblem(Specs.valid().withCdiVersion(null), "cdiVersion is missing", "0.3.0");
    }

    @Test
    void unknownVersion() {
        assertOneProblem(Specs.valid().withCdiVersion("0.9.0"), "'0.9.0' is not a CDI version");
    }

    @Test
    void declaredVersionBelowTheContentsMinimum() {
        Spec spec = Specs.withDevice(new Device("0gpu", Specs.nodeEdits(Specs.NODE))).withCdiVersion("0.4.0");

        assertOneProblem(spec, "0.4.0 is too low", "at least 0.5.0");
    }

    @Test
    void versionBelowTheEarliestSupported() {
        assertOneProblem(Specs.valid().withCdiVersion("0.2.0"), "at least 0.3.0");
    }

    @Test
    void kindWithoutSlash() {
        assertOneProblem(new Spec("0.3.0", "nvidia.com", Specs.valid().devices(), null), "<vendor>/<class>");
    }

    @Test
    void vendorMustStartWithALetter() {
        assertOneProblem(new Spec("0.3.0", "8nvidia.com/gpu", Specs.valid().devices(), null), "vendor '8nvidia.com'");
    }

    @Test
    void classMustEndWithALetterOrDigit() {
        assertOneProblem(new Spec("0.3.0", "nvidia.com/gpu-", Specs.valid().devices(), null), "class 'gpu-'");
    }

    @Test
    void classWithInvalidCharacter() {
        assertOneProblem(new Spec("0.3.0", "nvidia.com/g:pu", Specs.valid().devices(), null), "invalid character ':'");
    }

    @Test
    void deviceNameWithInvalidCharacter() {
        assertOneProblem(Specs.withDevice(new Device("gpu/0", Specs.nodeEdits(Specs.NODE))), "devices[0]", "'/'");
    }

    @Test
    void deviceNameEndingWithColon() {
        assertOneProblem(Specs.withDevice(new Device("gpu:", Specs.nodeEdits(Specs.NODE))), "must end with a letter or digit");
    }

    @Test
    void deviceNamesMustBeUnique() {
        Device d = new Device("gpu0", Specs.nodeEdits(Specs.NODE));
        Spec spec = new Spec("0.3.0", "example.com/gpu", List.of(d, d), null);

        assertOneProblem(spec, "devices[1]", "'gpu0' is used twice");
    }

    @Test
    void atLeastOneDevice() {
        assertOneProblem(new Spec("0.3.0", "example.com/gpu", List.of(), null), "at least one device");
    }

    @Test
    void aDeviceNeedsSomeEdits() {
        assertOneProblem(Specs.withDevice(new Device("gpu0", ContainerEdits.EMPTY)), "no container edits");
    }

    @Test
    void annotationKeyWithInvalidPrefix() {
        Spec spec = new Spec("0.6.0", "example.com/gpu", Specs.annotations("Bad_Prefix/name", "v"),
                Specs.valid().devices(), null);

        assertOneProblem(spec, "'Bad_Prefix/name'", "prefix");
    }

    @Test
    void hookNameOutsideTheOciSet() {
        assertOneProblem(withHook(hook("preStart", "/usr/bin/h", List.of(), null)), "hookName 'preStart'");
    }

    @Test
    void hookPathMustBeAbsolute() {
        assertOneProblem(withHook(hook("createContainer", "nvidia-cdi-hook", List.of(), null)), "must be absolute");
    }

    @Test
    void hookPathIsRequired() {
        assertOneProblem(withHook(hook("createContainer", "", List.of(), null)), "hooks[0]: path is missing");
    }

    @Test
    void hookEnvMustBeNameEqualsValue() {
        assertOneProblem(withHook(hook("poststop", "/h", List.of("=x"), null)), "hooks[0].env[0]", "'=x'");
    }

    @Test
    void hookTimeoutMustBePositive() {
        assertOneProblem(withHook(hook("poststart", "/h", List.of(), 0)), "timeout 0");
    }

    @Test
    void envWithoutEqualsSign() {
        Spec spec = Specs.withEdits(new ContainerEdits(List.of("NVIDIA_VISIBLE_DEVICES"), List.of(Specs.NODE), null, null, null));

        assertOneProblem(spec, "env[0]", "NAME=VALUE");
    }

    @Test
    void envStartingWithEqualsSign() {
        Spec spec = new Spec("0.3.0", "example.com/gpu", Specs.valid().devices(),
                new ContainerEdits(List.of("=void"), null, null, null, null));

        assertOneProblem(spec, "containerEdits.env[0]", "'=void'");
    }

    @Test
    void deviceNodePathIsRequired() {
        DeviceNode node = new DeviceNode("", null, null, null, null, null, null, null, null);

        assertOneProblem(Specs.withEdits(Specs.nodeEdits(node)), "deviceNodes[0]: path is missing");
    }

    @Test
    void deviceNodePathMustBeAbsolute() {
        DeviceNode node = DeviceNode.at("dev/nvidia0");

        assertOneProblem(Specs.withEdits(Specs.nodeEdits(node)), "'dev/nvidia0' must be absolute");
    }

    @Test
    void deviceNodeTypeMustBeKnown() {
        DeviceNode node = new DeviceNode("/dev/x", null, "x", null, null, null, null, null, null);

        assertOneProblem(Specs.withEdits(Specs.nodeEdits(node)), "type 'x'");
    }

    @Test
    void permissionsMustBeASubsetOfRwm() {
        DeviceNode node = new DeviceNode("/dev/x", null, null, null, null, null, "rwx", null, null);

        assertOneProblem(Specs.withEdits(Specs.nodeEdits(node)), "permissions 'rwx'");
    }

    @Test
    void mountHostPathIsRequired() {
        Mount mount = Mount.bind("", "/lib64/libcuda.so.1", List.of("ro"));

        assertOneProblem(Specs.withEdits(new ContainerEdits(null, null, List.of(mount), null, null)), "hostPath is missing");
    }

    @Test
    void mountContainerPathIsRequired() {
        Mount mount = Mount.bind("/lib64/libcuda.so.1", null, List.of("ro"));

        assertOneProblem(Specs.withEdits(new ContainerEdits(null, null, List.of(mount), null, null)), "containerPath is missing");
    }

    @Test
    void nullListEntriesAreProblemsNotCrashes() {
        List<DeviceNode> nodes = new ArrayList<>();
        nodes.add(null);

        assertOneProblem(Specs.withEdits(new ContainerEdits(null, nodes, null, null, null)), "deviceNodes[0]: is null");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        DeviceNode node = DeviceNode.at("relative");
        Spec spec = new Spec("0.9.0", "bad", List.of(new Device("-x", Specs.nodeEdits(node))), null);

        assertEquals(4, SpecValidator.problems(spec).size(), SpecValidator.problems(spec).toString());
        CdiException e = assertThrows(CdiException.class, () -> SpecValidator.validate(spec));
        assertTrue(e.getMessage().startsWith("invalid CDI spec: "), e.getMessage());
    }

    @Test
    void validatesAFileOnDisk() throws Exception {
        Path file = tmp.resolve("spec.json");
        Files.writeString(file, SpecJson.toJson(Specs.valid()));

        assertEquals(Specs.valid(), SpecValidator.validateFile(file));
    }

    @Test
    void aFileWithAContentProblemNamesTheFileAndTheProblem() throws Exception {
        Path file = tmp.resolve("spec.json");
        Files.writeString(file, SpecJson.toJson(Specs.valid().withCdiVersion("0.1.5")));

        CdiException e = assertThrows(CdiException.class, () -> SpecValidator.validateFile(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("'0.1.5'"), e.getMessage());
    }

    @Test
    void aFileMustBeJson() throws Exception {
        Path file = tmp.resolve("spec.yaml");
        Files.writeString(file, SpecJson.toJson(Specs.valid()));

        CdiException e = assertThrows(CdiException.class, () -> SpecValidator.validateFile(file));
        assertTrue(e.getMessage().contains(".json"), e.getMessage());
    }

    @Test
    void aFileThatIsNotUtf8IsRefused() throws Exception {
        Path file = tmp.resolve("spec.json");
        Files.write(file, new byte[] {'{', (byte) 0xff, '}'});

        CdiException e = assertThrows(CdiException.class, () -> SpecValidator.validateFile(file));
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }
}
