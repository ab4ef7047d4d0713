package io.alauda.dra.controller;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The controller's picture of the cluster, as compact views kept up to date by the informers' handlers: our driver's
 * ResourceSlices, the ResourceClaims that concern our driver, and every Node with whether the plugin should run on
 * it. Each change that can move a gauge calls the change listener; a change that cannot (a claim's reservedFor, a
 * node heartbeat) does not.
 */
public final class ClusterState {

    private final Map<String, SliceView> slices = new ConcurrentHashMap<>();
    private final Map<String, ClaimView> claims = new ConcurrentHashMap<>();
    private final Map<String, Boolean> nodes = new ConcurrentHashMap<>();
    private final Set<String> driverClasses;
    private final Runnable onChange;

    public ClusterState(Set<String> driverClasses, Runnable onChange) {
        this.driverClasses = Set.copyOf(driverClasses);
        this.onChange = Objects.requireNonNull(onChange, "onChange");
    }

    public Set<String> driverClasses() {
        return driverClasses;
    }

    void putSlice(SliceView slice) {
        if (!DeviceFacts.DRIVER.equals(slice.driver())) {
            removeSlice(slice.name());
            return;
        }
        if (!slice.equals(slices.put(slice.name(), slice))) {
            onChange.run();
        }
    }

    void removeSlice(String name) {
        if (slices.remove(name) != null) {
            onChange.run();
        }
    }

    /** Keeps the claim only if it concerns our driver; others cost nothing. */
    void putClaim(ClaimView claim) {
        String key = claimKey(claim.namespace(), claim.name());
        if (!claim.concernsDriver(driverClasses)) {
            removeClaim(claim.namespace(), claim.name());
            return;
        }
        if (!claim.equals(claims.put(key, claim))) {
            onChange.run();
        }
    }

    void removeClaim(String namespace, String name) {
        if (claims.remove(claimKey(namespace, name)) != null) {
            onChange.run();
        }
    }

    void putNode(String name, boolean selected) {
        Boolean previous = nodes.put(name, selected);
        if (previous == null || previous != selected) {
            onChange.run();
        }
    }

    void removeNode(String name) {
        if (nodes.remove(name) != null) {
            onChange.run();
        }
    }

    public boolean hasNode(String name) {
        return nodes.containsKey(name);
    }

    public SliceView slice(String name) {
        return slices.get(name);
    }

    /** Live, weakly consistent views: iterating them never blocks the handlers. */
    public Collection<SliceView> slices() {
        return Collections.unmodifiableCollection(slices.values());
    }

    public Collection<ClaimView> claims() {
        return Collections.unmodifiableCollection(claims.values());
    }

    /** Every node in the cluster, selected for the plugin or not. */
    public Set<String> nodeNames() {
        return Set.copyOf(nodes.keySet());
    }

    public Set<String> selectedNodes() {
        return nodes.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    public List<SliceView> slicesOfNode(String node) {
        return slices.values().stream().filter(s -> node.equals(s.nodeName())).toList();
    }

    public AllocationSnapshot snapshot() {
        return AllocationModel.compute(slices(), claims(), selectedNodes(), driverClasses);
    }

    private static String claimKey(String namespace, String name) {
        return namespace + "/" + name;
    }
}
