package io.alauda.dra.plugin.prepare;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per claim UID, so calls for the same claim run one after the other while different claims run in
 * parallel. A lock lives only while some thread holds or waits for it, so the map does not grow with every claim
 * the node has ever seen.
 */
final class ClaimLocks {

    /** Releases the claim's lock; closing twice is harmless. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    private final Map<String, Entry> locks = new HashMap<>();

    Held lock(String claimUid) {
        Entry entry;
        synchronized (this) {
            entry = locks.computeIfAbsent(claimUid, uid -> new Entry());
            entry.users++;
        }
        entry.lock.lock();
        return new Held() {
            private boolean released;

            @Override
            public void close() {
                if (released) {
                    return;
                }
                released = true;
                entry.lock.unlock();
                synchronized (ClaimLocks.this) {
                    if (--entry.users == 0) {
                        locks.remove(claimUid);
                    }
                }
            }
        };
    }

    /** Locks currently held or awaited; zero when the plugin is idle. */
    synchronized int size() {
        return locks.size();
    }

    /** Whether a thread is waiting for the claim's lock (for tests that prove serialisation). */
    synchronized boolean hasWaiters(String claimUid) {
        Entry entry = locks.get(claimUid);
        return entry != null && entry.lock.hasQueuedThreads();
    }
}
