package io.alauda.dra.delivery;

import io.alauda.dra.embedded.EmbeddedApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kubernetes sends SIGTERM and, after the grace period, SIGKILL; a role that does not exit promptly holds up rolling
 * updates, and one that keeps its Lease makes its successor wait out the lease duration. Each role runs as it
 * ships (the packaged jar in its own JVM) against the mock API server. Needs target/quarkus-app.
 */
class RoleShutdownIT {

    private static final Duration EXIT_WITHIN = Duration.ofSeconds(5);
    /**
     * The operator clears the holder; fabric8's release (the controller's) leaves it with a 1 s lease (its merge patch
     * drops the null holder), so a successor waits at most that long.
     */
    private static final Duration FREE_WITHIN = Duration.ofSeconds(1);
    private static final Duration START_WITHIN = Duration.ofMinutes(2);
    private static final Duration LOST_LEASE_EXIT_WITHIN = Duration.ofSeconds(15);

    private final PackagedRoles roles = new PackagedRoles();
    private EmbeddedApiServer server;

    @BeforeEach
    void startApiServer() throws Exception {
        server = new EmbeddedApiServer();
        server.node("gpu-node", Map.of("nvidia-device-enable", "pgpu-dra"));
    }

    @AfterEach
    void stopEverything() throws Exception {
        try {
            roles.close();
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void operatorExitsWithinFiveSecondsOfSigtermAndReleasesItsLease() throws Exception {
        String identity = "operator-shutdown-it";
        LeaseHandover lease = new LeaseHandover(server.client(), "default", "nvidia-dra-driver-operator");
        // the operator names itself in the Lease after HOSTNAME (the pod name in a cluster)
        Process operator = roles.operator(server.url(), Map.of("HOSTNAME", identity));
        awaitHolder(operator, lease, identity, "target/operator-process.log");
        Instant exited = terminate(operator, "operator", "target/operator-process.log");
        assertReleased(lease, exited);
    }

    /**
     * {@code make run} stopped with Ctrl-C takes the embedded API server down with it before the operator: the Lease
     * release then has no server to talk to and must not hold the exit up (it once waited out the client's retries).
     */
    @Test
    void operatorExitsWithinFiveSecondsOfSigtermWhenTheApiServerIsGone() throws Exception {
        String identity = "operator-shutdown-it";
        LeaseHandover lease = new LeaseHandover(server.client(), "default", "nvidia-dra-driver-operator");
        Process operator = roles.operator(server.url(), Map.of("HOSTNAME", identity));
        awaitHolder(operator, lease, identity, "target/operator-process.log");
        server.close();
        server = null;
        terminate(operator, "operator without its API server", "target/operator-process.log");
    }

    /** JOSDK's exitOnStopLeading is off, so the operator's own step-down must still stop a replica that lost the Lease. */
    @Test
    void operatorThatLosesItsLeaseExits() throws Exception {
        String identity = "operator-shutdown-it";
        LeaseHandover lease = new LeaseHandover(server.client(), "default", "nvidia-dra-driver-operator");
        Process operator = roles.operator(server.url(), Map.of("HOSTNAME", identity));
        awaitHolder(operator, lease, identity, "target/operator-process.log");
        // The operator renews concurrently and a renewal read before the take-over may still overwrite it, so take
        // it again until the operator has noticed (at its next renewal, every 2 s) and shut down.
        await().atMost(LOST_LEASE_EXIT_WITHIN).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() -> {
            if (!"another-replica".equals(lease.holder().orElse(null))) {
                lease.takeOver("another-replica");
            }
            assertFalse(operator.isAlive(), "the operator still runs after losing its Lease; see target/operator-process.log");
        });
        assertEquals(1, operator.exitValue(), "exit code of an operator that lost its Lease");
        assertEquals("another-replica", lease.holder().orElse(null), "the operator released a Lease it no longer held");
    }

    @Test
    void controllerExitsWithinFiveSecondsOfSigtermAndReleasesItsLease() throws Exception {
        String identity = "controller-shutdown-it";
        LeaseHandover lease = new LeaseHandover(server.client(), "default", "nvidia-dra-driver-controller");
        Process controller = roles.controller(server.url(), Map.of("LEADER_ELECTION_ENABLED", "true", "NAMESPACE", "default",
                "POD_NAME", identity));
        awaitHolder(controller, lease, identity, "target/controller-process.log");
        Instant exited = terminate(controller, "controller", "target/controller-process.log");
        assertReleased(lease, exited);
    }

    /** The kubelet plugin holds no Lease; it must still exit in time once it has published its slice. */
    @Test
    void kubeletPluginExitsWithinFiveSecondsOfSigterm(@TempDir Path dir) throws Exception {
        Process plugin = roles.kubeletPlugin(server.url(), dir, "gpu-node");
        await().atMost(START_WITHIN).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertTrue(plugin.isAlive(), "the kubelet plugin exited; see target/kubelet-plugin-process.log");
            assertFalse(server.client().dynamicResourceAllocation().v1().resourcesSlices().list().getItems().isEmpty(),
                    "no ResourceSlice published yet");
        });
        terminate(plugin, "kubelet plugin", "target/kubelet-plugin-process.log");
    }

    private static void awaitHolder(Process process, LeaseHandover lease, String identity, String log) {
        await().atMost(START_WITHIN).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertTrue(process.isAlive(), "the process exited; see " + log);
            assertEquals(identity, lease.holder().orElse(null), "Lease holder");
        });
    }

    /** Sends SIGTERM (Process.destroy on Linux) and returns when the process was seen gone. */
    private static Instant terminate(Process process, String role, String log) throws InterruptedException {
        long signalled = System.nanoTime();
        process.destroy();
        boolean exited = process.waitFor(EXIT_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
        assertTrue(exited, role + " still runs " + millis + " ms after SIGTERM; see " + log);
        System.out.printf("%s exited %d ms after SIGTERM, exit code %d%n", role, millis, process.exitValue());
        return Instant.now();
    }

    private static void assertReleased(LeaseHandover lease, Instant exited) {
        Instant free = lease.freeFrom();
        assertFalse(free.isAfter(exited.plus(FREE_WITHIN)), () -> "a successor could take the Lease only from " + free + ", "
                + Duration.between(exited, free).toMillis() + " ms after the holder exited: it was not released. " + lease.describe());
    }
}
