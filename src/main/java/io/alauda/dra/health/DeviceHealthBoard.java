package io.alauda.dra.health;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The node's one record of device health. Monitors report and clear problems; the slice publisher, the kubelet
 * health stream, metrics and events listen. Listeners hear only real changes: a repeated report of a standing
 * problem (an XID that fires every second) does not republish anything.
 *
 * <p>Listeners are told under the board's lock so that they see snapshots in the order the changes happened; they
 * must only hand the snapshot on (to a debouncer, a stream) and return.
 */
public final class DeviceHealthBoard {

    private final Map<String, List<HealthProblem>> problems = new HashMap<>();
    private final List<DeviceHealthListener> listeners = new CopyOnWriteArrayList<>();

    public void addListener(DeviceHealthListener listener) {
        listeners.add(listener);
    }

    public void removeListener(DeviceHealthListener listener) {
        listeners.remove(listener);
    }

    /** Records a problem; returns whether it was new (same key and value already standing: not new). */
    public synchronized boolean report(String uuid, HealthProblem problem) {
        List<HealthProblem> standing = problems.computeIfAbsent(uuid, u -> new ArrayList<>());
        if (standing.stream().anyMatch(p -> p.sameAs(problem))) {
            return false;
        }
        standing.add(problem);
        tell(snapshot());
        return true;
    }

    /** Clears every problem of a device with this key (recovery); returns whether anything was cleared. */
    public synchronized boolean clear(String uuid, String key) {
        List<HealthProblem> standing = problems.get(uuid);
        if (standing == null || !standing.removeIf(p -> p.key().equals(key))) {
            return false;
        }
        if (standing.isEmpty()) {
            problems.remove(uuid);
        }
        tell(snapshot());
        return true;
    }

    public synchronized HealthSnapshot snapshot() {
        Map<String, DeviceHealth> copy = new HashMap<>();
        problems.forEach((uuid, list) -> copy.put(uuid, new DeviceHealth(uuid, list)));
        return new HealthSnapshot(copy);
    }

    private void tell(HealthSnapshot snapshot) {
        for (DeviceHealthListener listener : listeners) {
            listener.healthChanged(snapshot);
        }
    }
}
