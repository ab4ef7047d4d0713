package io.alauda.dra.plugin.prepare;

import io.alauda.dra.plugin.api.NodePrepareResult;
import io.alauda.dra.plugin.api.ResourceClaimRef;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.alauda.dra.plugin.prepare.TestClaims.claim;
import static io.alauda.dra.plugin.prepare.TestNode.GPU_0;
import static io.alauda.dra.plugin.prepare.TestNode.GPU_1;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Different claims in parallel, one claim at a time, and one device never to two claims. */
@EnableKubernetesMockClient(crud = true)
class ConcurrencyTest extends PreparerTestBase {

    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    /** Holds every arriving thread at the step until {@code parties} threads are there at once. */
    private static PrepareStepHook meetAt(PrepareStep meetingPoint, CountDownLatch arrivals) {
        return (step, uid) -> {
            if (step != meetingPoint) {
                return;
            }
            arrivals.countDown();
            try {
                if (!arrivals.await(20, TimeUnit.SECONDS)) {
                    throw new AssertionError("the other prepare never reached " + step + ": prepares ran one at a time");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        };
    }

    @Test
    void differentClaimsArePreparedInParallel() throws Exception {
        ResourceClaimRef a = claim("team-a", "a").result("gpu", GPU_0).create(client);
        ResourceClaimRef b = claim("team-b", "b").result("gpu", GPU_1).create(client);
        // Both prepares must be inside the spec-writing step together, or neither gets past it.
        hook = meetAt(PrepareStep.CHECKPOINT_STARTED, new CountDownLatch(2));

        Future<NodePrepareResult> first = pool.submit(() -> prepare(a));
        Future<NodePrepareResult> second = pool.submit(() -> prepare(b));

        assertEquals("", first.get(30, TimeUnit.SECONDS).error());
        assertEquals("", second.get(30, TimeUnit.SECONDS).error());
    }

    @Test
    void callsForTheSameClaimAreSerialised() throws Exception {
        ResourceClaimRef ref = claim("team-a", "a").result("gpu", GPU_0).create(client);
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger fetches = new AtomicInteger();
        hook = (step, uid) -> {
            if (step == PrepareStep.CLAIM_FETCHED && fetches.incrementAndGet() == 1) {
                firstInside.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Future<NodePrepareResult> first = pool.submit(() -> prepare(ref));
        assertEquals(true, firstInside.await(30, TimeUnit.SECONDS));

        Future<NodePrepareResult> second = pool.submit(() -> prepare(ref));
        await().atMost(30, TimeUnit.SECONDS).until(() -> preparer.locks().hasWaiters(ref.uid()));
        assertEquals(1, fetches.get());
        release.countDown();

        NodePrepareResult firstResult = first.get(30, TimeUnit.SECONDS);
        NodePrepareResult secondResult = second.get(30, TimeUnit.SECONDS);
        assertEquals("", firstResult.error());
        assertEquals(firstResult, secondResult);
        // The second call found the claim completed and never read it from the API server.
        assertEquals(1, fetches.get());
        assertEquals(0, preparer.locks().size());
    }

    @Test
    void twoClaimsRacingForOneDeviceGetItOnlyOnce() throws Exception {
        ResourceClaimRef a = claim("team-a", "a").result("gpu", GPU_0).create(client);
        ResourceClaimRef b = claim("team-b", "b").result("gpu", GPU_0).create(client);
        // Both have read their claim and planned gpu-0 before either checks who holds it.
        hook = meetAt(PrepareStep.CLAIM_FETCHED, new CountDownLatch(2));

        Future<NodePrepareResult> first = pool.submit(() -> prepare(a));
        Future<NodePrepareResult> second = pool.submit(() -> prepare(b));
        List<String> errors = new ArrayList<>(List.of(first.get(30, TimeUnit.SECONDS).error(),
                second.get(30, TimeUnit.SECONDS).error()));

        errors.sort(null);
        assertEquals("", errors.get(0));
        assertContains("asks for device gpu-0", errors.get(1));
        assertEquals(1, preparer.checkpointEntries().size());
    }

    @Test
    void manyClaimsLeaveNoLocksBehind() throws Exception {
        List<Future<NodePrepareResult>> results = new ArrayList<>();
        List<ResourceClaimRef> refs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // No device of this driver, so the 20 claims do not compete for one and all succeed.
            refs.add(claim("team-a", "c" + i).result("nic", "sriov.example.com", TestNode.NODE_NAME, "nic-0", false)
                    .create(client));
        }
        for (ResourceClaimRef ref : refs) {
            results.add(pool.submit(() -> prepare(ref)));
        }
        for (Future<NodePrepareResult> result : results) {
            assertEquals("", result.get(30, TimeUnit.SECONDS).error());
        }
        for (ResourceClaimRef ref : refs) {
            pool.submit(() -> unprepare(ref)).get(30, TimeUnit.SECONDS);
        }

        assertEquals(0, preparer.locks().size());
        assertEquals(0, preparer.checkpointEntries().size());
    }
}
