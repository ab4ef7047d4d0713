package io.alauda.dra.delivery;

import io.alauda.dra.Role;
import io.alauda.dra.operator.resources.KubeletPluginDaemonSet;
import io.fabric8.kubernetes.api.model.Container;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Dockerfiles cannot be built here (no Docker engine), so the facts the rest of the product relies on are
 * checked in their text: a numeric non-root USER (runAsNonRoot needs a number to check), the role taken as the first
 * argument with the operator as default, the roles they document being the roles Main accepts, and the JVM flags.
 */
class ImageFilesTest {

    private static final List<Path> DOCKERFILES = List.of(Path.of("src/main/docker/Dockerfile.jvm"), Path.of("src/main/docker/Dockerfile.native"));

    @Test
    void imagesRunAsTheNumericNonRootUser185() throws IOException {
        for (Path file : DOCKERFILES) {
            assertEquals(List.of("185"), instruction(file, "USER"), file.toString());
        }
    }

    @Test
    void theRoleIsTheFirstArgumentAndDefaultsToTheOperator() throws IOException {
        for (Path file : DOCKERFILES) {
            assertEquals(List.of("[ \"operator\" ]"), instruction(file, "CMD"), file.toString());
            String entrypoint = instruction(file, "ENTRYPOINT").get(0);
            for (Role role : Role.values()) {
                assertTrue(!entrypoint.contains("\"" + role.id() + "\""), file + ": the ENTRYPOINT must not fix a role");
            }
        }
    }

    @Test
    void theRolesTheImagesDocumentAreTheRolesMainAccepts() throws IOException {
        String expected = String.join(" | ", Arrays.stream(Role.values()).map(Role::id).toList());
        Matcher m = Pattern.compile("\\(or env DRA_ROLE\\): ([a-z| -]+)\\.").matcher(Files.readString(DOCKERFILES.get(0)));
        assertTrue(m.find(), "Dockerfile.jvm lists the roles");
        assertEquals(expected, m.group(1).trim());
    }

    @Test
    void jvmImageUsesTheJava21RuntimeWithJnaAccessAndSmallPodFlags() throws IOException {
        Path jvm = DOCKERFILES.get(0);
        List<String> stages = instruction(jvm, "FROM");
        assertTrue(stages.get(stages.size() - 1).startsWith("registry.access.redhat.com/ubi9/openjdk-21-runtime:"),
                "the last stage, the image itself, is the Java 21 runtime: " + stages);
        String env = String.join("\n", instruction(jvm, "ENV"));
        assertTrue(env.contains("--enable-native-access=ALL-UNNAMED"));
        assertTrue(env.contains("JAVA_MAX_MEM_RATIO="));
        assertTrue(env.contains("-XX:+UseSerialGC"));
        assertTrue(env.contains("JAVA_APP_JAR=\"/deployments/quarkus-run.jar\""));
        for (String layer : List.of("lib/", "*.jar", "app/", "quarkus/")) {
            assertTrue(instruction(jvm, "COPY").stream().anyMatch(c -> c.contains("target/quarkus-app/" + layer)), layer);
        }
    }

    /**
     * The plugin copies the image's hook to the node (CdiHookLocator.IMAGE_HOOK), so both images must carry it, built
     * from the pinned tools module with the link flags tools/cdi-hook/build.sh uses, which CdiConsumerTest runs.
     */
    @Test
    void bothImagesShipThePinnedNvidiaCdiHookWhereThePluginLooks() throws IOException {
        String buildScript = Files.readString(Path.of("tools/cdi-hook/build.sh"));
        String flags = "-ldflags='-s -w -linkmode=external -extldflags=-static'";
        assertTrue(buildScript.contains(flags), "tools/cdi-hook/build.sh links " + flags);
        for (Path file : DOCKERFILES) {
            String text = Files.readString(file);
            assertTrue(instruction(file, "FROM").stream().anyMatch(f -> f.matches("docker.io/library/golang:[0-9.]+-\\w+ AS cdi-hook")),
                    file + ": a pinned Go stage named cdi-hook");
            assertTrue(instruction(file, "COPY").contains("tools/cdi-hook/ ./"), file + ": builds the tools module");
            assertTrue(text.contains(flags) && text.contains("CGO_ENABLED=1"), file + ": with build.sh's flags");
            assertTrue(instruction(file, "COPY").contains("--from=cdi-hook --chmod=0755 /out/nvidia-cdi-hook "
                    + io.alauda.dra.cdi.CdiHookLocator.IMAGE_HOOK), file + ": to where the plugin looks");
        }
    }

    /** The images default to a non-root user; the kubelet plugin is the role that overrides it, with root. */
    @Test
    void onlyTheKubeletPluginOverridesTheImageUserWithRoot() {
        Container plugin = KubeletPluginDaemonSet.desired(OperatorPermissionsTest.context("v1")).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(0L, plugin.getSecurityContext().getRunAsUser());
        assertNotEquals(null, plugin.getSecurityContext().getPrivileged());
    }

    private static List<String> instruction(Path file, String name) throws IOException {
        return Files.readAllLines(file).stream()
                .filter(l -> l.startsWith(name + " "))
                .map(l -> l.substring(name.length() + 1).trim())
                .toList();
    }
}
