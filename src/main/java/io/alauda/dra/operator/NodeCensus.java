package io.alauda.dra.operator;

import io.fabric8.kubernetes.api.model.Node;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Counts the GPU nodes a spec selects, and names those that another GPU stack also claims. */
record NodeCensus(int selected, List<String> conflicting) {

    static final int MAX_LISTED = 50;

    static NodeCensus of(Collection<Node> nodes, Map<String, String> nodeSelector, Map<String, String> conflictingLabels) {
        int selected = 0;
        List<String> conflicting = new ArrayList<>();
        for (Node node : nodes) {
            Map<String, String> labels = node.getMetadata().getLabels();
            if (labels == null || !carriesAll(labels, nodeSelector)) {
                continue;
            }
            selected++;
            if (carriesAny(labels, conflictingLabels)) {
                conflicting.add(node.getMetadata().getName());
            }
        }
        conflicting.sort(String::compareTo);
        return new NodeCensus(selected, List.copyOf(conflicting));
    }

    List<String> listedConflicting() {
        return conflicting.size() <= MAX_LISTED ? conflicting : conflicting.subList(0, MAX_LISTED);
    }

    private static boolean carriesAll(Map<String, String> labels, Map<String, String> wanted) {
        if (wanted == null || wanted.isEmpty()) {
            return false;
        }
        return wanted.entrySet().stream().allMatch(e -> e.getValue() != null && e.getValue().equals(labels.get(e.getKey())));
    }

    private static boolean carriesAny(Map<String, String> labels, Map<String, String> any) {
        return any != null && any.entrySet().stream().anyMatch(e -> e.getValue() != null && e.getValue().equals(labels.get(e.getKey())));
    }
}
