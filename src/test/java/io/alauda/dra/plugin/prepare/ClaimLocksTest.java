package io.alauda.dra.plugin.prepare;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClaimLocksTest {

    @Test
    void locksOfDifferentClaimsAreIndependentAndLeaveNothingBehind() throws Exception {
        ClaimLocks locks = new ClaimLocks();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (ClaimLocks.Held a = locks.lock("a")) {
            Future<Boolean> other = pool.submit(() -> {
                try (ClaimLocks.Held b = locks.lock("b")) {
                    return true;
                }
            });
            assertTrue(other.get(10, TimeUnit.SECONDS));
            assertEquals(1, locks.size());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, locks.size());
    }

    @Test
    void secondHolderOfTheSameClaimWaitsUntilTheFirstReleases() throws Exception {
        ClaimLocks locks = new ClaimLocks();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        CountDownLatch acquired = new CountDownLatch(1);
        try {
            ClaimLocks.Held first = locks.lock("a");
            Future<?> second = pool.submit(() -> {
                try (ClaimLocks.Held held = locks.lock("a")) {
                    acquired.countDown();
                }
            });
            await().atMost(10, TimeUnit.SECONDS).until(() -> locks.hasWaiters("a"));
            assertFalse(acquired.await(0, TimeUnit.SECONDS));

            first.close();
            first.close();

            second.get(10, TimeUnit.SECONDS);
            assertEquals(0, acquired.getCount());
            assertEquals(0, locks.size());
        } finally {
            pool.shutdownNow();
        }
    }
}
