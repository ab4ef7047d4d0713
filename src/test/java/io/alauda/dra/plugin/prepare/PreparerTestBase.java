package io.alauda.dra.plugin.prepare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alauda.dra.plugin.api.CallCancellation;
import io.alauda.dra.plugin.api.NodePrepareResult;
import io.alauda.dra.plugin.api.ResourceClaimRef;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A preparer for {@link TestNode} against the fabric8 mock API server in CRUD mode. Subclasses carry
 * {@code @EnableKubernetesMockClient(crud = true)}, which fills {@link #server} and {@link #client} per test.
 */
abstract class PreparerTestBase {

    static final ObjectMapper JSON = new ObjectMapper();

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path tmp;

    TestNode node;
    RecordingObserver observer;
    /** Replaced by tests that stop or hold a prepare at a step. */
    volatile PrepareStepHook hook = PrepareStepHook.NONE;
    /** Set before {@link #open} by tests that share GPUs. */
    SharingSupport sharing = SharingSupport.NONE;
    ClaimPreparer preparer;

    @BeforeEach
    void startPreparer() {
        node = new TestNode(tmp);
        TestClaims.serveDiscovery(server, "v1");
        preparer = open("boot-1");
    }

    /** A new preparer over the same directories, as after a plugin restart. */
    ClaimPreparer open(String bootId) {
        observer = new RecordingObserver();
        return ClaimPreparer.open(node.settings(bootId), new ResourceClaimFetcher(client, List.of("v1")), observer,
                (step, uid) -> hook.reached(step, uid), sharing);
    }

    NodePrepareResult prepare(ResourceClaimRef ref) {
        return preparer.prepare(List.of(ref), CallCancellation.NEVER).get(ref.uid());
    }

    String unprepare(ResourceClaimRef ref) {
        return preparer.unprepare(List.of(ref)).get(ref.uid());
    }

    static String cdiId(ResourceClaimRef ref, String device) {
        return "k8s.gpu.nvidia.com/claim=" + ref.uid() + "-" + device;
    }

    JsonNode spec(ResourceClaimRef ref) throws IOException {
        return JSON.readTree(node.specFile(ref.uid()).toFile());
    }

    static void assertContains(String expected, String actual) {
        if (actual == null || !actual.contains(expected)) {
            throw new AssertionError("expected the text to contain <" + expected + "> but it was <" + actual + ">");
        }
    }
}
