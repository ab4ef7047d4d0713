package io.alauda.dra;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The layering the design asks for, read from the sources: no package of ours depends on itself through others,
 * the node's device model, CDI and NVML code knows nothing of Kubernetes or gRPC, the resource API package knows
 * no role, and the claim doctor's core no Kubernetes type.
 */
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    /** Imports, and names written out in full in the code (io.alauda.dra.x.Type). */
    private static final Pattern REFERENCE = Pattern.compile("\\b((?:io\\.alauda\\.dra|io\\.fabric8|io\\.grpc)(?:\\.[a-z]\\w*)*)\\.[A-Z]");

    @Test
    void noPackageCycles() throws IOException {
        Map<String, Set<String>> graph = ours(dependencies());
        List<List<String>> cycles = new ArrayList<>();
        for (String start : graph.keySet()) {
            List<String> path = pathBack(graph, start);
            if (path != null && start.equals(Collections.min(path))) { // each cycle once, from its first package
                cycles.add(path);
            }
        }
        assertEquals(List.of(), cycles, "each list is a cycle: a package that reaches itself");
    }

    @Test
    void deviceCdiAndNvmlKnowNoKubernetesNorGrpc() throws IOException {
        Map<String, Set<String>> offending = new TreeMap<>();
        dependencies().forEach((pkg, uses) -> {
            if (Stream.of("device", "cdi", "nvml").anyMatch(layer -> within(pkg, "io.alauda.dra." + layer))) {
                uses.stream().filter(used -> used.startsWith("io.fabric8") || used.startsWith("io.grpc")
                                || within(used, "io.alauda.dra.plugin") || within(used, "io.alauda.dra.operator")
                                || within(used, "io.alauda.dra.controller"))
                        .forEach(used -> offending.computeIfAbsent(pkg, k -> new TreeSet<>()).add(used));
            }
        });
        assertEquals(Map.of(), offending);
    }

    /**
     * The node's device-health record and its NVML monitor are read by the slice publisher, the kubelet health stream
     * and discover alike; they know devices and NVML, and nothing of Kubernetes, gRPC or the roles.
     */
    @Test
    void deviceHealthKnowsNoKubernetesNorGrpc() throws IOException {
        Map<String, Set<String>> offending = new TreeMap<>();
        dependencies().forEach((pkg, uses) -> {
            if (within(pkg, "io.alauda.dra.health")) {
                uses.stream().filter(used -> used.startsWith("io.fabric8") || used.startsWith("io.grpc")
                                || within(used, "io.alauda.dra.plugin") || within(used, "io.alauda.dra.operator")
                                || within(used, "io.alauda.dra.controller") || within(used, "io.alauda.dra.slice"))
                        .forEach(used -> offending.computeIfAbsent(pkg, k -> new TreeSet<>()).add(used));
            }
        });
        assertEquals(Map.of(), offending);
    }

    /** The claim doctor's evaluation core takes its own records; only doctor.kube and doctor.cli touch Kubernetes. */
    @Test
    void theDoctorsCoreKnowsNoKubernetes() throws IOException {
        Set<String> uses = dependencies().getOrDefault("io.alauda.dra.doctor", Set.of());
        assertEquals(Set.of(), new TreeSet<>(uses.stream().filter(used -> used.startsWith("io.fabric8") || used.startsWith("io.grpc")
                || used.startsWith("io.alauda.dra.doctor.kube") || used.startsWith("io.alauda.dra.doctor.cli")).toList()));
    }

    @Test
    void theResourceApiKnowsNoRole() throws IOException {
        Set<String> uses = dependencies().getOrDefault("io.alauda.dra.resourceapi", Set.of());
        assertEquals(Set.of(), new TreeSet<>(uses.stream().filter(used -> used.startsWith("io.alauda.dra.")).toList()));
    }

    /** A shortest way from {@code start} back to itself, or null. */
    private static List<String> pathBack(Map<String, Set<String>> graph, String start) {
        Map<String, String> cameFrom = new TreeMap<>();
        Deque<String> queue = new ArrayDeque<>(graph.getOrDefault(start, Set.of()));
        graph.getOrDefault(start, Set.of()).forEach(next -> cameFrom.put(next, start));
        while (!queue.isEmpty()) {
            String at = queue.poll();
            if (at.equals(start)) {
                List<String> path = new ArrayList<>();
                String step = cameFrom.get(start);
                path.add(start);
                while (!step.equals(start)) {
                    path.add(0, step);
                    step = cameFrom.get(step);
                }
                path.add(0, start);
                return path;
            }
            for (String next : graph.getOrDefault(at, Set.of())) {
                if (!cameFrom.containsKey(next)) {
                    cameFrom.put(next, at);
                    queue.add(next);
                }
            }
        }
        return null;
    }

    private static boolean within(String pkg, String parent) {
        return pkg.equals(parent) || pkg.startsWith(parent + ".");
    }

    private static Map<String, Set<String>> ours(Map<String, Set<String>> all) {
        Map<String, Set<String>> graph = new TreeMap<>();
        all.forEach((pkg, uses) -> graph.put(pkg, new TreeSet<>(uses.stream().filter(u -> u.startsWith("io.alauda.dra")).toList())));
        return graph;
    }

    /** Package to the packages (ours, fabric8's, gRPC's) its classes name. */
    private static Map<String, Set<String>> dependencies() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        for (Path file : files) {
            String source = Files.readString(file);
            Matcher pkg = PACKAGE.matcher(source);
            if (!pkg.find()) {
                continue;
            }
            Set<String> uses = graph.computeIfAbsent(pkg.group(1), k -> new TreeSet<>());
            Matcher ref = REFERENCE.matcher(source);
            while (ref.find()) {
                if (!ref.group(1).equals(pkg.group(1))) {
                    uses.add(ref.group(1));
                }
            }
        }
        return graph;
    }
}
