package io.alauda.dra.slice;

import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * The API calls that turn the slices that exist for a node into the slices it should have, decided the way the
 * upstream helper (k8s.io/dynamic-resource-allocation/resourceslice) decides them:
 * <ul>
 *   <li>the current generation is the highest among the node's slices; a slice of a lower generation, of another
 *       pool, or without a wanted index is obsolete and deleted (first, so that devices the node no longer has
 *       disappear even if publishing the new ones fails);</li>
 *   <li>the others are matched to wanted slices by index: the {@code dra.alauda.io/slice-index} label, or for a
 *       slice of the previous release that lacks it, the hex index its name starts with (upstream's newer helper
 *       matches by that name prefix; ours cannot, since the name now starts with the node as the documented driver's
 *       does, see {@link SliceNames}); labelled slices are matched first, so an unlabelled one never displaces them;</li>
 *   <li>when at most one existing slice must change and none is missing, it is updated in place and the generation
 *       stays; otherwise the generation goes up by one and every slice is written with it, so that consumers never
 *       mix devices of two states of the pool;</li>
 *   <li>a matched slice whose spec is right but which lacks one of our labels (the index label on a slice the
 *       previous release wrote, or a label someone removed) is updated in place to carry it. That changes no
 *       device, so it does not count towards the generation rule: an upgrade neither recreates slices nor bumps
 *       the generation for it.</li>
 * </ul>
 * Pure: the caller lists, this decides, the caller writes.
 *
 * @param deletes existing slices to delete
 * @param updates complete objects to PUT (existing metadata, our labels and owner, the wanted spec)
 * @param creates new objects to POST (with {@code generateName})
 */
record PoolSyncPlan(long generation, int sliceCount, List<HasMetadata> deletes, List<HasMetadata> updates,
                    List<HasMetadata> creates) {

    boolean writesNothing() {
        return deletes.isEmpty() && updates.isEmpty() && creates.isEmpty();
    }

    /**
     * @param observed the slices of our driver for this node, as listed; slices of other drivers or nodes must have
     *                 been filtered out by the caller
     */
    static PoolSyncPlan plan(String nodeName, String nodeUid, ResourceApiVersion version, List<List<AllocatableDevice>> wanted,
                             List<SliceView> observed) {
        return plan(nodeName, nodeUid, version, WantedPool.untainted(wanted), observed);
    }

    static PoolSyncPlan plan(String nodeName, String nodeUid, ResourceApiVersion version, WantedPool wanted,
                             List<SliceView> observed) {
        int count = wanted.layout().size();
        long current = observed.stream().filter(s -> nodeName.equals(s.poolName())).mapToLong(SliceView::generation).max().orElse(0);

        Map<Integer, SliceView> matched = new TreeMap<>();
        // labelled slices first: the label is what we write now, a name prefix only what the previous release wrote
        List<SliceView> ordered = new ArrayList<>(observed.stream().filter(PoolSyncPlan::labelled).toList());
        observed.stream().filter(slice -> !labelled(slice)).forEach(ordered::add);
        for (SliceView slice : ordered) {
            OptionalInt index = index(slice, count);
            if (nodeName.equals(slice.poolName()) && slice.generation() == current && index.isPresent()
                    && index.getAsInt() < count && !matched.containsKey(index.getAsInt())) {
                matched.put(index.getAsInt(), slice);
            }
        }
        // by identity: the records compare by value, and which listed object is kept is what matters here
        Set<SliceView> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        kept.addAll(matched.values());
        List<HasMetadata> deletes = new ArrayList<>();
        observed.stream().filter(slice -> !kept.contains(slice)).forEach(slice -> deletes.add(slice.object()));

        List<HasMetadata> atCurrent = SliceSetBuilder.render(wanted, nodeName, nodeUid, current, version);
        List<Integer> changed = new ArrayList<>();
        List<Integer> relabel = new ArrayList<>();
        matched.forEach((index, slice) -> {
            if (!slice.spec().equals(CanonicalSpec.of(atCurrent.get(index))) || !slice.ownedBy(nodeName, nodeUid)) {
                changed.add(index);
            } else if (!carriesOurLabels(slice, atCurrent.get(index))) {
                relabel.add(index);
            }
        });
        boolean missing = matched.size() < count;
        long generation = !missing && changed.size() <= 1 ? current : current + 1;
        List<HasMetadata> target = generation == current ? atCurrent
                : SliceSetBuilder.render(wanted, nodeName, nodeUid, generation, version);

        List<HasMetadata> updates = new ArrayList<>();
        List<HasMetadata> creates = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            SliceView existing = matched.get(index);
            HasMetadata desired = target.get(index);
            if (existing == null) {
                creates.add(desired);
            } else if (generation != current || changed.contains(index) || relabel.contains(index)) {
                HasMetadata update = TaintTimes.carriedOver(existing.object(), desired);
                update.setMetadata(mergedMetadata(existing.object().getMetadata(), desired.getMetadata()));
                updates.add(update);
            }
        }
        return new PoolSyncPlan(generation, count, List.copyOf(deletes), List.copyOf(updates), List.copyOf(creates));
    }

    private static boolean carriesOurLabels(SliceView slice, HasMetadata desired) {
        Map<String, String> labels = slice.object().getMetadata().getLabels();
        return labels != null && labels.entrySet().containsAll(desired.getMetadata().getLabels().entrySet());
    }

    private static boolean labelled(SliceView slice) {
        Map<String, String> labels = slice.object().getMetadata().getLabels();
        return labels != null && labels.containsKey(SliceNames.LABEL_SLICE_INDEX);
    }

    /** A label, when present, decides alone: an unreadable one makes the slice obsolete rather than falling back. */
    private static OptionalInt index(SliceView slice, int count) {
        return labelled(slice) ? SliceNames.labelIndex(slice.object().getMetadata().getLabels())
                : SliceNames.legacyIndex(slice.name(), count);
    }

    /**
     * Keeps what others put on the object (name, resourceVersion for optimistic locking, their labels, annotations
     * and non-Node owners) and makes ours right.
     */
    private static ObjectMeta mergedMetadata(ObjectMeta existing, ObjectMeta ours) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (existing.getLabels() != null) {
            labels.putAll(existing.getLabels());
        }
        labels.putAll(ours.getLabels());
        List<OwnerReference> owners = new ArrayList<>();
        if (existing.getOwnerReferences() != null) {
            existing.getOwnerReferences().stream().filter(owner -> !"Node".equals(owner.getKind())).forEach(owners::add);
        }
        owners.addAll(ours.getOwnerReferences());
        return new ObjectMetaBuilder(existing).withLabels(labels).withOwnerReferences(owners).build();
    }
}
