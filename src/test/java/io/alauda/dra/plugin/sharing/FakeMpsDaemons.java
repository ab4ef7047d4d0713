package io.alauda.dra.plugin.sharing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** MPS daemons in memory: started ones become ready at once unless told otherwise; mounts are remembered, not made. */
public final class FakeMpsDaemons implements MpsDaemonControl, TmpfsMounter {

    private final Map<String, MpsDaemonSpec> running = new LinkedHashMap<>();
    private final Set<Path> mounts = new HashSet<>();
    private final List<String> starts = new ArrayList<>();
    private boolean readyOnStart = true;
    private final Set<String> ready = new HashSet<>();

    public synchronized void neverReady() {
        readyOnStart = false;
    }

    public synchronized void makeReady(String id) {
        ready.add(id);
    }

    /** A daemon left from before, e.g. of a claim whose record was lost. */
    public synchronized void leftOver(String id) {
        running.put(id, null);
    }

    public synchronized Map<String, MpsDaemonSpec> running() {
        return new LinkedHashMap<>(running);
    }

    /** IDs in the order start was called for them (repeats included). */
    public synchronized List<String> starts() {
        return List.copyOf(starts);
    }

    public synchronized Set<Path> mounts() {
        return Set.copyOf(mounts);
    }

    @Override
    public synchronized void start(MpsDaemonSpec spec) {
        starts.add(spec.id());
        running.putIfAbsent(spec.id(), spec);
        if (readyOnStart) {
            ready.add(spec.id());
        }
    }

    @Override
    public synchronized boolean isReady(String id) {
        return running.containsKey(id) && ready.contains(id);
    }

    @Override
    public synchronized void stop(String id) {
        running.remove(id);
        ready.remove(id);
    }

    @Override
    public synchronized Set<String> daemonsOnNode() {
        return Set.copyOf(running.keySet());
    }

    @Override
    public String describe(String id) {
        return "fake daemon " + id;
    }

    @Override
    public synchronized boolean isMounted(Path dir) {
        return mounts.contains(dir);
    }

    @Override
    public synchronized void mount(Path dir) {
        mounts.add(dir);
    }

    @Override
    public synchronized void unmount(Path dir) {
        mounts.remove(dir);
    }
}
