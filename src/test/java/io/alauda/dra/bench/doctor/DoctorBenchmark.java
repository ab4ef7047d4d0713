package io.alauda.dra.bench.doctor;

import io.alauda.dra.doctor.Allocation;
import io.alauda.dra.doctor.Claim;
import io.alauda.dra.doctor.ClaimDoctor;
import io.alauda.dra.doctor.ClaimReport;
import io.alauda.dra.doctor.Constraint;
import io.alauda.dra.doctor.Device;
import io.alauda.dra.doctor.DeviceClass;
import io.alauda.dra.doctor.Inventory;
import io.alauda.dra.doctor.Node;
import io.alauda.dra.doctor.Request;
import io.alauda.dra.doctor.kube.InputException;
import io.alauda.dra.doctor.kube.KubeObjects;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Claim doctor benchmark: explains one claim against 8,000 devices (1,000 ResourceSlices of 8 H100s, one node each,
 * 2,000 devices allocated to other claims) and prints p50/p99 over the runs as a Markdown section for
 * docs/benchmarks.md. One {@link ClaimDoctor} is built for the inventory (timed apart, as is mapping the slices
 * from their JSON trees), as the controller would hold one per snapshot; each run explains the claim with it, and
 * every explain compiles the selectors afresh (no per-device results carry over between runs).
 * Not a test: it asserts nothing.
 *
 * <pre>
 * mvn -B -q -o test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *   -Dexec.args="-cp %classpath io.alauda.dra.bench.doctor.DoctorBenchmark"
 * </pre>
 * Arguments: --slices 1000 --per-slice 8 --runs 200 --warmup 100
 */
public final class DoctorBenchmark {

    private DoctorBenchmark() {
    }

    public static void main(String[] args) throws InputException {
        String loadBefore = loadavg();
        int slices = 1000;
        int perSlice = 8;
        int runs = 200;
        int warmup = 100;
        for (int i = 0; i + 1 < args.length; i += 2) {
            int v = Integer.parseInt(args[i + 1]);
            switch (args[i]) {
                case "--slices" -> slices = v;
                case "--per-slice" -> perSlice = v;
                case "--runs" -> runs = v;
                case "--warmup" -> warmup = v;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        List<Map<String, Object>> trees = new ArrayList<>();
        for (int s = 0; s < slices; s++) {
            trees.add(slice("node-" + s, perSlice));
        }
        long mapStart = System.nanoTime();
        List<Device> devices = new ArrayList<>();
        for (Map<String, Object> t : trees) {
            devices.addAll(KubeObjects.devices(t));
        }
        double mapMs = (System.nanoTime() - mapStart) / 1e6;
        List<Node> nodes = new ArrayList<>();
        List<Allocation> allocations = new ArrayList<>();
        for (int s = 0; s < slices; s++) {
            nodes.add(new Node("node-" + s, Map.of("kubernetes.io/hostname", "node-" + s)));
            allocations.add(new Allocation("team/train-" + s, "gpu.nvidia.com", "node-" + s, "gpu-0", false));
            allocations.add(new Allocation("team/train-" + s, "gpu.nvidia.com", "node-" + s, "gpu-1", false));
        }
        DeviceClass gpu = new DeviceClass("gpu.nvidia.com",
                List.of("device.driver == 'gpu.nvidia.com' && device.attributes['gpu.nvidia.com'].type == 'gpu'"));
        Inventory inventory = new Inventory(devices, List.of(gpu), allocations, nodes, Set.of());

        Map<String, Claim> claims = new LinkedHashMap<>();
        claims.put("seed selector (productName == 'Tesla P100-PCIE-16GB'), unsatisfiable", new Claim("default", "seed",
                List.of(Request.exact("gpu", "gpu.nvidia.com", 1,
                        "device.attributes['gpu.nvidia.com'].productName == 'Tesla P100-PCIE-16GB'")), List.of()));
        claims.put("8 GPUs, driverVersion >= 570, matchAttribute productName (unsatisfiable: 2 of 8 allocated per node)",
                new Claim("default", "eight", List.of(Request.exact("gpus", "gpu.nvidia.com", 8,
                        "device.attributes['gpu.nvidia.com'].driverVersion.compareTo(semver('570.0.0')) >= 0")),
                        List.of(new Constraint(List.of(), "gpu.nvidia.com/productName"))));
        claims.put("2 GPUs (architecture) + 2 GPUs (memory < 80Gi), matchAttribute productName, satisfiable",
                new Claim("default", "two", List.of(
                        Request.exact("a", "gpu.nvidia.com", 2, "device.attributes['gpu.nvidia.com'].architecture == 'Hopper'"),
                        Request.exact("b", "gpu.nvidia.com", 2,
                                "device.capacity['gpu.nvidia.com'].memory.compareTo(quantity('80Gi')) < 0")),
                        List.of(new Constraint(List.of(), "gpu.nvidia.com/productName"))));
        claims.put("cel.bind selector (g.productName == ... && g.index == 7)", new Claim("default", "bind",
                List.of(Request.exact("gpu", "gpu.nvidia.com", 1,
                        "cel.bind(g, device.attributes['gpu.nvidia.com'], g.productName == 'NVIDIA H100 80GB HBM3' && g.index == 7)")),
                List.of()));
        claims.put("exists() over the attribute names (memoized by the set of names published)",
                new Claim("default", "exists", List.of(Request.exact("gpu", "gpu.nvidia.com", 1,
                        "device.attributes['gpu.nvidia.com'].exists(k, k == 'profile')")), List.of()));

        ClaimDoctor doctor = null;
        double[] build = new double[Math.max(1, runs / 4)];
        for (int i = 0; i < warmup / 4 + build.length; i++) {
            long t = System.nanoTime();
            doctor = new ClaimDoctor(inventory);
            if (i >= warmup / 4) {
                build[i - warmup / 4] = (System.nanoTime() - t) / 1e6;
            }
        }
        Arrays.sort(build);
        StringBuilder out = new StringBuilder();
        out.append("Devices: ").append(devices.size()).append(" (").append(slices).append(" slices x ").append(perSlice)
                .append("), nodes ").append(nodes.size()).append(", allocated ").append(allocations.size())
                .append("; mapping the slices' JSON trees to records once: ").append(fmt(mapMs)).append(" ms")
                .append("; building the doctor for the inventory (device views, allocation index): p50 ")
                .append(fmt(build[build.length / 2])).append(" ms\n");
        out.append("Machine: nproc ").append(Runtime.getRuntime().availableProcessors()).append(", Java ")
                .append(System.getProperty("java.version")).append(" (").append(System.getProperty("java.vm.name"))
                .append("), ").append(LocalDate.now()).append("\n\n");
        out.append("| claim | verdict | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|\n");
        for (Map.Entry<String, Claim> e : claims.entrySet()) {
            ClaimReport report = null;
            for (int i = 0; i < warmup; i++) {
                report = doctor.explain(e.getValue());
            }
            double[] ms = new double[runs];
            for (int i = 0; i < runs; i++) {
                long t = System.nanoTime();
                report = doctor.explain(e.getValue());
                ms[i] = (System.nanoTime() - t) / 1e6;
            }
            Arrays.sort(ms);
            out.append("| ").append(e.getKey()).append(" | ").append(report.satisfiable() ? "satisfiable" : "unsatisfiable")
                    .append(" | ").append(fmt(ms[runs / 2])).append(" | ").append(fmt(ms[(int) Math.ceil(runs * 0.99) - 1]))
                    .append(" | ").append(fmt(ms[runs - 1])).append(" |\n");
        }
        out.append("\nThe 2 cores are shared with other builds: /proc/loadavg at the start was `").append(loadBefore)
                .append("`, at the end `").append(loadavg()).append("`.\n");
        System.out.print(out);
    }

    private static String loadavg() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static Map<String, Object> slice(String node, int perSlice) {
        List<Object> devices = new ArrayList<>();
        for (int i = 0; i < perSlice; i++) {
            Map<String, Object> attrs = new LinkedHashMap<>();
            attrs.put("architecture", Map.of("string", "Hopper"));
            attrs.put("brand", Map.of("string", "Nvidia"));
            attrs.put("cudaComputeCapability", Map.of("version", "9.0.0"));
            attrs.put("cudaDriverVersion", Map.of("version", "12.8.0"));
            attrs.put("driverVersion", Map.of("version", "570.124.6"));
            attrs.put("index", Map.of("int", i));
            attrs.put("minor", Map.of("int", i));
            attrs.put("pcieBusID", Map.of("string", String.format("0000:%02x:00.0", 0x1b + i)));
            attrs.put("productName", Map.of("string", "NVIDIA H100 80GB HBM3"));
            attrs.put("resource.kubernetes.io/pcieRoot", Map.of("string", "pci0000:" + (15 + i)));
            attrs.put("type", Map.of("string", "gpu"));
            attrs.put("uuid", Map.of("string", "GPU-" + node + "-" + i));
            devices.add(Map.of("name", "gpu-" + i, "attributes", attrs, "capacity", Map.of("memory", Map.of("value", "81559Mi"))));
        }
        return Map.of("kind", "ResourceSlice", "metadata", Map.of("name", node + "-gpu.nvidia.com-abcde"),
                "spec", Map.of("driver", "gpu.nvidia.com", "nodeName", node,
                        "pool", Map.of("name", node, "generation", 1, "resourceSliceCount", 1), "devices", devices));
    }
}
