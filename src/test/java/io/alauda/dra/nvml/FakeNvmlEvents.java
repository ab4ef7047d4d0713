package io.alauda.dra.nvml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An NVML that raises events when a test says so. A wait blocks for its timeout like the real
 * {@code nvmlEventSetWait_v2} unless an event or a failure is queued, so a monitor that waits longer than it should
 * is slow here too. GPUs answer probes with success until told otherwise. Every call records its thread, so a test
 * can check that all NVML calls stay on the monitor's thread.
 */
public final class FakeNvmlEvents implements NvmlEvents {

    private final Map<String, Long> supported = new ConcurrentHashMap<>();
    private final Map<String, Integer> supportedFailures = new ConcurrentHashMap<>();
    private final Map<String, Integer> registerFailures = new ConcurrentHashMap<>();
    private final Map<String, Integer> probeAnswers = new ConcurrentHashMap<>();
    private final Map<String, List<Long>> registrations = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> probes = new ConcurrentHashMap<>();
    private final BlockingQueue<Object> pending = new LinkedBlockingQueue<>();
    private final List<Integer> waitTimeouts = new CopyOnWriteArrayList<>();
    private final Set<String> threads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger closes = new AtomicInteger();
    private volatile Integer openFailure;
    private volatile boolean open;
    private volatile boolean waiting;
    private volatile boolean closedWhileWaiting;
    private volatile boolean impatient;

    /** A GPU this NVML knows, with the event types it supports. */
    public FakeNvmlEvents gpu(String uuid, long supportedTypes) {
        supported.put(uuid, supportedTypes);
        return this;
    }

    public FakeNvmlEvents failOpen(int code) {
        openFailure = code;
        return this;
    }

    public FakeNvmlEvents failSupportedEventTypes(String uuid, int code) {
        supportedFailures.put(uuid, code);
        return this;
    }

    public FakeNvmlEvents failRegister(String uuid, int code) {
        registerFailures.put(uuid, code);
        return this;
    }

    /** What the GPU's probes answer from now on; {@link NvmlReturn#SUCCESS} makes it reachable again. */
    public void answerProbe(String uuid, int code) {
        probeAnswers.put(uuid, code);
    }

    public void raise(NvmlEvent event) {
        pending.add(event);
    }

    /** From now on a wait with nothing queued answers TIMEOUT at once, as NVML may after an interrupt. */
    public void answerTimeoutAtOnce() {
        impatient = true;
    }

    /** The next wait answers this code instead of an event. */
    public void failNextWait(int code) {
        pending.add(code);
    }

    private void called() {
        threads.add(Thread.currentThread().getName());
    }

    @Override
    public void open() {
        called();
        if (openFailure != null) {
            throw new NvmlException(NvmlCall.INIT, openFailure, "fake");
        }
        open = true;
    }

    @Override
    public long supportedEventTypes(String gpuUuid) {
        called();
        Integer failure = supportedFailures.get(gpuUuid);
        if (failure != null) {
            throw new NvmlException(NvmlCall.SUPPORTED_EVENT_TYPES, failure, "fake");
        }
        Long mask = supported.get(gpuUuid);
        if (mask == null) {
            throw new NvmlException(NvmlCall.HANDLE_BY_UUID, NvmlReturn.ERROR_NOT_FOUND, "fake");
        }
        return mask;
    }

    @Override
    public void register(String gpuUuid, long eventTypes) {
        called();
        Integer failure = registerFailures.get(gpuUuid);
        if (failure != null) {
            throw new NvmlException(NvmlCall.REGISTER_EVENTS, failure, "fake");
        }
        if ((eventTypes & ~supported.getOrDefault(gpuUuid, 0L)) != 0) {
            throw new NvmlException(NvmlCall.REGISTER_EVENTS, NvmlReturn.ERROR_NOT_SUPPORTED, "asked for unsupported types");
        }
        registrations.computeIfAbsent(gpuUuid, k -> new CopyOnWriteArrayList<>()).add(eventTypes);
    }

    @Override
    public Optional<NvmlEvent> await(int timeoutMillis) {
        called();
        waitTimeouts.add(timeoutMillis);
        waiting = true;
        Object next;
        try {
            next = impatient ? pending.poll() : pending.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            next = null;
        } finally {
            waiting = false;
        }
        if (next instanceof Integer code) {
            throw new NvmlException(NvmlCall.EVENT_SET_WAIT, code, "fake");
        }
        return Optional.ofNullable((NvmlEvent) next);
    }

    @Override
    public void probe(String gpuUuid) {
        called();
        probes.computeIfAbsent(gpuUuid, k -> new AtomicInteger()).incrementAndGet();
        int answer = probeAnswers.getOrDefault(gpuUuid, supported.containsKey(gpuUuid) ? NvmlReturn.SUCCESS : NvmlReturn.ERROR_NOT_FOUND);
        if (answer != NvmlReturn.SUCCESS) {
            throw new NvmlException(NvmlCall.MEMORY_INFO, answer, "fake");
        }
    }

    @Override
    public void close() {
        called();
        if (waiting) {
            closedWhileWaiting = true;
        }
        open = false;
        closes.incrementAndGet();
    }

    public boolean isOpen() {
        return open;
    }

    /** Whether a wait is in progress right now. */
    public boolean waiting() {
        return waiting;
    }

    public int closes() {
        return closes.get();
    }

    public boolean closedWhileWaiting() {
        return closedWhileWaiting;
    }

    public List<Long> registrations(String uuid) {
        return new ArrayList<>(registrations.getOrDefault(uuid, List.of()));
    }

    public int probes(String uuid) {
        AtomicInteger count = probes.get(uuid);
        return count == null ? 0 : count.get();
    }

    public List<Integer> waitTimeouts() {
        return new ArrayList<>(waitTimeouts);
    }

    /** Names of the threads that called NVML. */
    public Set<String> threads() {
        return Set.copyOf(threads);
    }

    /** Whether every queued event and failure has been taken by a wait. */
    public boolean drained() {
        return pending.isEmpty();
    }
}
