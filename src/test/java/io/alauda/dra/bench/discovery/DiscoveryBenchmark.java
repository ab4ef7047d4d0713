package io.alauda.dra.bench.discovery;

import io.alauda.dra.cdi.DriverFileDiscovery;
import io.alauda.dra.cdi.DriverRoots;
import io.alauda.dra.cdi.UnixDeviceNodeSource;
import io.alauda.dra.device.NodeInventory;
import io.alauda.dra.nvml.JnaNvml;
import io.alauda.dra.nvml.LiveSysfs;
import io.alauda.dra.nvml.Nvml;
import io.alauda.dra.nvml.NvmlDiscovery;
import io.alauda.dra.nvml.NvmlException;
import io.alauda.dra.nvml.NvmlLibraryLocator;
import io.alauda.dra.nvml.PciTopology;
import io.alauda.dra.nvml.SysfsSource;
import io.alauda.dra.nvml.replay.NvmlReplay;
import io.alauda.dra.nvml.replay.Recording;
import io.alauda.dra.nvml.replay.SysfsReplay;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

/**
 * Discovery time as the kubelet plugin pays it at start: loading {@code libnvidia-ml.so.1} through JNA, one NVML
 * discovery of every GPU and MIG device (init, queries, shutdown) and finding the driver files the CDI specs name.
 * The first run is cold (JNA binds the library, the JIT has not seen the code); the later ones show the steady cost.
 *
 * <p>Needs only our {@code device}, {@code nvml} and {@code cdi} classes and JNA, so it runs on the GPU machine from
 * the classpath {@code tools/device/prepare.sh} builds:
 * {@code java -cp '.device/classes:.device/*' io.alauda.dra.bench.discovery.DiscoveryBenchmark --driver-root /usr/local/nvidia}.
 * With {@code --replay FILE} it answers from a recording instead (no GPU; the driver files are then not searched).
 */
public final class DiscoveryBenchmark {

    private DiscoveryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path driverRoot = Path.of("/");
        Path replay = null;
        int runs = 20;
        boolean calls = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--driver-root" -> driverRoot = Path.of(args[++i]);
                case "--replay" -> replay = Path.of(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--calls" -> calls = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; expected --driver-root DIR, --replay FILE, --runs N, --calls");
            }
        }
        System.out.printf("machine: %d cores, JDK %s, %s; %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), LocalDate.now(), replay == null ? "driver root " + driverRoot : "replay of " + replay);

        long start = System.nanoTime();
        Nvml nvml;
        SysfsSource sysfs;
        if (replay == null) {
            nvml = JnaNvml.load(NvmlLibraryLocator.locate(driverRoot));
            sysfs = new LiveSysfs(Path.of("/sys"));
        } else {
            Recording recording = Recording.read(replay);
            nvml = new NvmlReplay(recording);
            sysfs = new SysfsReplay(recording);
        }
        double loadMs = millisSince(start);
        if (calls) {
            System.out.printf("NVML library located and bound: %.1f ms%n", loadMs);
            for (int pass = 1; pass <= 2; pass++) {
                System.out.println("pass " + pass + ": " + timedCalls(nvml));
            }
            return;
        }
        NvmlDiscovery discovery = new NvmlDiscovery(nvml, new PciTopology(sysfs), w -> System.out.println("warning: " + w));

        double[] discoverMs = new double[runs];
        NodeInventory inventory = null;
        for (int run = 0; run < runs; run++) {
            long t = System.nanoTime();
            inventory = discovery.discover();
            discoverMs[run] = millisSince(t);
        }
        System.out.printf("NVML library located and bound: %.1f ms%n", loadMs);
        System.out.printf("NVML discovery of %d GPUs (%d MIG devices): first %.1f ms; later runs median %.2f ms, max %.2f ms over %d%n",
                inventory.gpus().size(), inventory.gpus().stream().mapToInt(g -> g.migDevices().size()).sum(),
                discoverMs[0], median(discoverMs, 1), max(discoverMs, 1), runs - 1);

        if (replay == null) {
            DriverFileDiscovery files = new DriverFileDiscovery(DriverRoots.forDriverRoot(driverRoot.toAbsolutePath(),
                    driverRoot.toAbsolutePath()), new UnixDeviceNodeSource());
            double[] filesMs = new double[runs];
            for (int run = 0; run < runs; run++) {
                long t = System.nanoTime();
                files.discover(inventory.driverVersion());
                filesMs[run] = millisSince(t);
            }
            System.out.printf("driver files for CDI (libraries, binaries, firmware, device nodes): first %.1f ms; later runs median %.2f ms, max %.2f ms over %d%n",
                    filesMs[0], median(filesMs, 1), max(filesMs, 1), runs - 1);
        }
        System.out.printf("from JVM start to here: %d ms%n",
                System.currentTimeMillis() - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
    }

    /**
     * The calls tools/device/nvml_bench.py makes, in its order, each timed: what NVML itself costs beside what our
     * discovery adds (sysfs topology, checks, the inventory).
     */
    private static String timedCalls(Nvml nvml) {
        StringBuilder out = new StringBuilder();
        long all = System.nanoTime();
        long t = System.nanoTime();
        nvml.init();
        t = lap(out, "init", t);
        nvml.systemGetDriverVersion();
        t = lap(out, "driverVersion", t);
        nvml.systemGetCudaDriverVersion();
        t = lap(out, "cudaVersion", t);
        int count = nvml.deviceGetCount();
        t = lap(out, "count", t);
        for (int gpu = 0; gpu < count; gpu++) {
            for (String call : List.of("minor", "uuid", "name", "pci", "brand", "arch", "cc", "memory", "migMode")) {
                try {
                    switch (call) {
                        case "minor" -> nvml.deviceGetMinorNumber(gpu);
                        case "uuid" -> nvml.deviceGetUuid(gpu);
                        case "name" -> nvml.deviceGetName(gpu);
                        case "pci" -> nvml.deviceGetPciInfo(gpu);
                        case "brand" -> nvml.deviceGetBrand(gpu);
                        case "arch" -> nvml.deviceGetArchitecture(gpu);
                        case "cc" -> nvml.deviceGetCudaComputeCapability(gpu);
                        case "memory" -> nvml.deviceGetMemoryInfo(gpu);
                        default -> nvml.deviceGetMigMode(gpu);
                    }
                } catch (NvmlException e) {
                    out.append(" (").append(e.getMessage()).append(')'); // timed all the same, as pynvml's failures are
                }
                t = lap(out, call, t);
            }
        }
        nvml.shutdown();
        lap(out, "shutdown", t);
        return String.format("total %.2f ms:", millisSince(all)) + out;
    }

    /** Appends the call and its time without formatting a number, which would cost more than a native call. */
    private static long lap(StringBuilder out, String call, long since) {
        long now = System.nanoTime();
        out.append(' ').append(call).append(' ').append((now - since) / 1000).append("us");
        return now;
    }

    private static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000.0;
    }

    private static double median(double[] values, int from) {
        double[] rest = Arrays.copyOfRange(values, from, values.length);
        if (rest.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(rest);
        return rest[rest.length / 2];
    }

    private static double max(double[] values, int from) {
        return Arrays.stream(values, from, values.length).max().orElse(Double.NaN);
    }
}
