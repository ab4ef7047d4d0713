package io.alauda.dra.plugin.prepare;

import io.alauda.dra.plugin.api.CallCancellation;
import io.alauda.dra.plugin.api.NodePrepareResult;
import io.alauda.dra.plugin.api.ResourceClaimRef;
import io.alauda.dra.plugin.checkpoint.EntryState;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;

import static io.alauda.dra.plugin.prepare.TestClaims.claim;
import static io.alauda.dra.plugin.prepare.TestNode.GPU_0;
import static io.alauda.dra.plugin.prepare.TestNode.GPU_1;
import static io.alauda.dra.plugin.prepare.TestNode.MIG_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A NodePrepareResources call kubelet gave up on stops at the next claim and leaves nothing half-prepared. */
@EnableKubernetesMockClient(crud = true)
class PrepareCancellationTest extends PreparerTestBase {

    private WatchedClaimSource source;
    /** The call's cancellation as the test controls it: empty while kubelet waits. */
    private final AtomicReference<String> kubeletGaveUp = new AtomicReference<>();
    private final CallCancellation call = () -> Optional.ofNullable(kubeletGaveUp.get());

    @BeforeEach
    void watchFetches() {
        source = new WatchedClaimSource(new ResourceClaimFetcher(client, List.of("v1")));
        observer = new RecordingObserver();
        preparer = ClaimPreparer.open(node.settings("boot-1"), source, observer);
    }

    @Test
    void callCancelledWhileAClaimIsReadStopsThereAndFetchesNoFurtherClaim() throws Exception {
        ResourceClaimRef first = claim("team-a", "first").result("gpu", GPU_0).create(client);
        ResourceClaimRef second = claim("team-a", "second").result("gpu", GPU_1).create(client);
        ResourceClaimRef third = claim("team-a", "third").result("mig", MIG_A).create(client);
        // Kubelet's deadline passes while the GET of the second claim is in flight.
        source.during = ref -> {
            if (ref.name().equals("second")) {
                kubeletGaveUp.set("the call's deadline passed");
            }
        };

        Map<String, NodePrepareResult> results;
        try (CapturedLog log = new CapturedLog()) {
            results = preparer.prepare(List.of(first, second, third), call);

            assertEquals(List.of(), log.at(Level.WARNING), "nothing of a cancelled call is a warning");
            assertEquals(1, log.records.stream().filter(r -> r.getMessage().startsWith("NodePrepareResources stopped"))
                    .count(), "one line for the stopped call");
        }

        assertEquals(List.of("first", "second"), source.fetched, "the third claim was not read");
        assertEquals("", results.get(first.uid()).error());
        assertEquals(EntryState.PREPARE_COMPLETED, preparer.checkpointEntries().get(first.uid()).state());
        assertTrue(Files.exists(node.specFile(first.uid())));
        assertContains("was not prepared: the call's deadline passed while the plugin worked on it",
                results.get(second.uid()).error());
        assertContains("was not prepared: the call's deadline passed before the plugin reached it",
                results.get(third.uid()).error());
        for (ResourceClaimRef notPrepared : List.of(second, third)) {
            assertFalse(Files.exists(node.specFile(notPrepared.uid())), notPrepared.name());
            assertFalse(preparer.checkpointEntries().containsKey(notPrepared.uid()), notPrepared.name());
        }
        assertEquals(List.of(), observer.errors, "no error events for claims kubelet no longer waits for");
    }

    @Test
    void deadlineAlreadyPastDoesNoWork() {
        ResourceClaimRef ref = claim("team-a", "late").result("gpu", GPU_0).create(client);
        kubeletGaveUp.set("the call's deadline passed");

        NodePrepareResult result = preparer.prepare(List.of(ref), call).get(ref.uid());

        assertContains("before the plugin reached it", result.error());
        assertEquals(List.of(), source.fetched);
        assertEquals(Map.of(), preparer.checkpointEntries());
        assertEquals(List.of(), node.files());
    }

    @Test
    void aClosedPreparerAnswersWithoutReadingClaims() {
        ResourceClaimRef ref = claim("team-a", "after-close").result("gpu", GPU_0).create(client);
        preparer.close();

        NodePrepareResult result = preparer.prepare(List.of(ref), CallCancellation.NEVER).get(ref.uid());

        assertContains("was not prepared: the kubelet plugin is shutting down", result.error());
        assertEquals(List.of(), source.fetched);
        assertEquals(List.of(), node.files());
    }
}
