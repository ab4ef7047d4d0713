package io.alauda.dra.doctor;

import io.alauda.dra.doctor.cli.ExplainCommand;
import io.alauda.dra.files.JsonFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExplainCommandTest {

    private static final String DIR = "src/test/resources/doctor/";
    private static final String SEED_CLAIM = DIR + "seed-p100-claim.yaml";
    private static final String H100_SLICE = DIR + "h100-slice.yaml";
    private static final String CLASS = DIR + "gpu-deviceclass.yaml";

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ExplainCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs the command and checks its exit code (the output is in the failure message). */
    private static Run expect(int code, String... args) {
        Run r = run(args);
        assertEquals(code, r.code(), r.out() + r.err());
        return r;
    }

    /** The seed's claim with {@code from} replaced by {@code to}, written to {@code dir/name}. */
    private static String seedClaimWith(Path dir, String name, String from, String to) throws IOException {
        Path claim = dir.resolve(name);
        Files.writeString(claim, Files.readString(Path.of(SEED_CLAIM)).replace(from, to));
        return claim.toString();
    }

    private static void contains(String text, String part) {
        assertTrue(text.contains(part), () -> "expected <" + part + "> in:\n" + text);
    }

    @Test
    void seedClaimAgainstH100sIsUnsatisfiableWithTheActualProductName() {
        Run r = expect(ExplainCommand.UNSATISFIABLE, SEED_CLAIM, "--slices", H100_SLICE, "--classes", CLASS);
        contains(r.out(), "Claim default/gpu-claim: cannot be allocated: request gpu cannot be met: 0 of 8 devices match "
                + "(8 selector false); 1 wanted");
        contains(r.out(), "near miss: gpu.nvidia.com/productName is 'NVIDIA H100 80GB HBM3' on 8 devices; "
                + "no device has 'Tesla P100-PCIE-16GB'");
        contains(r.out(), "gpu.nvidia.com/h100-a/gpu-3  h100-a  selector false  gpu.nvidia.com/productName is "
                + "'NVIDIA H100 80GB HBM3', wanted 'Tesla P100-PCIE-16GB'");
    }

    @Test
    void seedClaimMatchesTheSeedSliceOfV1beta1() {
        Run r = expect(ExplainCommand.SATISFIABLE, SEED_CLAIM, "--slices", "src/test/resources/slice/seed-p100-v1beta1.yaml", "--classes", CLASS);
        contains(r.out(), "can be allocated on 192.168.140.59");
        contains(r.err(), "note: no Node objects given: node eligibility is not judged");
    }

    @Test
    void typoNamesTheCloseValue(@TempDir Path tmp) throws IOException {
        Run r = run(seedClaimWith(tmp, "claim.yaml", "'Tesla P100-PCIE-16GB'", "'NVIDIA H100 80GB'"), "--slices", H100_SLICE);
        contains(r.out(), "did you mean 'NVIDIA H100 80GB HBM3'?");
        contains(r.err(), "no DeviceClass given: using the driver's gpu.nvidia.com and mig.nvidia.com");
    }

    @Test
    void jsonOutputHasEveryDevice() throws Exception {
        Run r = expect(ExplainCommand.UNSATISFIABLE, SEED_CLAIM, "--slices", H100_SLICE, "--classes", CLASS, "--output", "json");
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) JsonFiles.parse(r.out());
        assertEquals(false, json.get("satisfiable"));
        @SuppressWarnings("unchecked")
        Map<String, Object> request = (Map<String, Object>) ((List<Object>) json.get("requests")).get(0);
        List<?> devices = (List<?>) request.get("devices");
        assertEquals(8, devices.size());
        assertEquals("SELECTOR_FALSE", ((Map<?, ?>) devices.get(0)).get("reason"));
    }

    @Test
    void templateWithFirstAvailableAndConstraint() {
        Run r = expect(ExplainCommand.SATISFIABLE, DIR + "template-first-available.yaml", "--slices", H100_SLICE, "--classes", CLASS);
        contains(r.out(), "Claim ml/big-gpu (template): can be allocated on h100-a");
        contains(r.out(), "first available: gpu/h100s can be met (earlier ones cannot)");
        contains(r.out(), "Request gpu/h200 (DeviceClass gpu.nvidia.com): CANNOT be met");
    }

    @Test
    void allocatedDevicesAndAllModeFromV1beta1Objects() {
        Run r = expect(ExplainCommand.UNSATISFIABLE, DIR + "v1beta1-claim-with-allocations.yaml", "--slices", H100_SLICE, "--classes", CLASS);
        contains(r.out(), "gpu.nvidia.com/h100-a/gpu-0  h100-a  allocated  allocated to claim team/train-0");
        contains(r.out(), "allocationMode All needs every matching device of a node to be available: on h100-a 6 of 8 are");
    }

    @Test
    void badInputNamesTheFieldAndTheFix(@TempDir Path tmp) throws IOException {
        Run r = expect(ExplainCommand.BAD_INPUT, seedClaimWith(tmp, "claim.yaml", "deviceClassName: gpu.nvidia.com", "count: 1"),
                "--slices", H100_SLICE);
        contains(r.err(), "explain: ResourceClaim default/gpu-claim: spec.devices.requests[0].exactly.deviceClassName is "
                + "missing; name a DeviceClass");
        String count = seedClaimWith(tmp, "count.yaml", "deviceClassName: gpu.nvidia.com",
                "deviceClassName: gpu.nvidia.com\n        count: two");
        contains(run(count).err(), "spec.devices.requests[0].exactly.count is 'two'; it must be a positive integer");
        Path yaml = tmp.resolve("broken.yaml");
        Files.writeString(yaml, "kind: ResourceClaim\nspec: [unclosed\n");
        Run broken = run(yaml.toString());
        assertEquals(ExplainCommand.BAD_INPUT, broken.code());
        contains(broken.err(), "broken.yaml: not valid YAML or JSON");
    }

    @Test
    void usageErrors() {
        assertEquals(ExplainCommand.BAD_INPUT, run().code());
        contains(run().err(), "CLAIM is missing");
        contains(run("x y z").err(), "is neither a file nor NAMESPACE/NAME");
        contains(run(SEED_CLAIM, "--output", "yaml").err(), "--output is 'yaml'; use table or json");
        contains(run(SEED_CLAIM, "--bogus").err(), "unknown flag --bogus");
        contains(run("default/claim", "--slices", H100_SLICE).err(), "go with a claim file");
        assertEquals(ExplainCommand.SATISFIABLE, run("--help").code());
        contains(run(SEED_CLAIM, "--slices", DIR + "missing.yaml").err(), "missing.yaml: no such file or directory");
    }

    @Test
    void manyDevicesAreGroupedByReason(@TempDir Path tmp) throws IOException {
        StringBuilder slices = new StringBuilder();
        String one = Files.readString(Path.of(H100_SLICE));
        for (int i = 0; i < 6; i++) {
            slices.append(one.replace("h100-a", "h100-" + i)).append("\n---\n");
        }
        Path file = tmp.resolve("slices.yaml");
        Files.writeString(file, slices.toString());
        Run r = run(SEED_CLAIM, "--slices", file.toString(), "--classes", CLASS);
        contains(r.out(), "DEVICES  EXAMPLE                      RESULT          WHY");
        contains(r.out(), "48       gpu.nvidia.com/h100-0/gpu-0  selector false  gpu.nvidia.com/productName is 'NVIDIA H100 80GB HBM3'");
        Run all = run(SEED_CLAIM, "--slices", file.toString(), "--classes", CLASS, "--all");
        contains(all.out(), "gpu.nvidia.com/h100-5/gpu-7");
    }
}
