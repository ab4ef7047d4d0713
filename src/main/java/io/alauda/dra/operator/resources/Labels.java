package io.alauda.dra.operator.resources;

import java.util.LinkedHashMap;
import java.util.Map;

/** Labels on everything the operator creates; the owner label is how the operator finds and deletes its objects. */
public final class Labels {

    public static final String NAME = "app.kubernetes.io/name";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String PART_OF = "app.kubernetes.io/part-of";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String OWNER = "dra.alauda.io/owner";
    public static final String MANAGED_BY_VALUE = "nvidia-dra-driver-operator";
    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE;

    public static final String COMPONENT_KUBELET_PLUGIN = "kubelet-plugin";
    public static final String COMPONENT_CONTROLLER = "controller";
    public static final String COMPONENT_CLUSTER = "cluster";
    /** The operator's own objects, which the install ships (their labels are the install's, not {@link #of}). */
    public static final String COMPONENT_OPERATOR = "operator";

    private Labels() {
    }

    public static Map<String, String> of(String owner, String component) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, Names.APP);
        labels.put(COMPONENT, component);
        labels.put(PART_OF, Names.APP);
        labels.put(MANAGED_BY, MANAGED_BY_VALUE);
        labels.put(OWNER, owner);
        return labels;
    }

    /** Pod selector labels: stable across CR renames, so a DaemonSet's immutable selector never has to change. */
    public static Map<String, String> selector(String component) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, Names.APP);
        labels.put(COMPONENT, component);
        return labels;
    }
}
