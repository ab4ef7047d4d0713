package io.alauda.dra.operator;

import java.util.Locale;

/**
 * Every reason the operator writes into an NvidiaDraDriver's conditions and events: the word admins and alerts match
 * on ({@link #word()}), whether a problem of this kind stops the install ({@link #blocking()}), and the shape of its
 * message ({@link #message}). One list, so that a reason is spelled once, its severity decided once and its message
 * worded once.
 */
enum Reason {
    // problems that stop the install: nothing is applied while they stand
    INVALID_SPEC("InvalidSpec", true, "%s"),
    KUBERNETES_TOO_OLD("KubernetesTooOld", true, "Kubernetes %s is too old: the NVIDIA DRA driver needs Kubernetes 1.32 or newer "
            + "(structured-parameter DRA); upgrade the cluster"),
    KUBERNETES_VERSION_UNKNOWN("KubernetesVersionUnknown", true, "could not read the Kubernetes version from the API server "
            + "(/version); the operator needs get on /version"),
    DRA_NOT_SERVED("DRANotServed", true, "the API server serves no resource.k8s.io version (%s): %s"),
    RESOURCE_API_VERSION_NOT_SERVED("ResourceApiVersionNotServed", true,
            "spec.resourceApiVersion is %s but the API server serves only %s; set it to auto or to one of those"),
    DUPLICATE("Duplicate", true, "NvidiaDraDriver %1$s is older and already installs the driver; only the oldest NvidiaDraDriver "
            + "is acted on, so this one creates nothing. Delete this one, or move its spec to %1$s"),
    RECONCILE_FAILED("ReconcileFailed", true, "reconcile failed: %s; the operator retries with backoff"),
    // problems reported while the install goes on
    APPLY_FAILED("ApplyFailed", false, "could not %s %s: %s"),
    OBJECT_CONFLICT("ObjectConflict", false, "%s already exists and is managed by %s; delete it (or remove the other installation) "
            + "so that this operator can manage it"),
    FIELD_NOT_KEPT("FieldNotKept", false, "the API server did not keep %s of %s (a field behind a Kubernetes feature gate that is off?)"),
    FEATURE_GATE_NOT_IMPLEMENTED("FeatureGateNotImplemented", false, "spec.featureGates.%s=true is accepted for compatibility with "
            + "the upstream driver but this driver version does not implement it; claims that need it fail at prepare. "
            + "Set it to false or remove it"),
    NODE_LABEL_CONFLICT("NodeLabelConflict", false, "%s node(s) carry both spec.nodeSelector and a label of "
            + "spec.conflictingNodeLabels, so they get no kubelet plugin: %s; remove one of the labels from each"),
    NAMESPACE_IN_USE("NamespaceInUse", false, "namespace %s was created by the operator for a previous spec.namespace and is kept "
            + "because pods still run there (%s); delete it by hand once they are moved"),
    NODE_CHECKS_FAILED("NodeChecksFailed", false, "%s node(s) publish no GPUs because a node check failed "
            + "(status.nodes.preflight): %s"),
    // states, not problems
    NO_MATCHING_NODES("NoMatchingNodes", false, "no node matches spec.nodeSelector %1$s, so no node runs the kubelet plugin and no "
            + "GPU can be claimed; label each GPU node: kubectl label node <node> %2$s (or change spec.nodeSelector to labels your "
            + "GPU nodes carry)"),
    WAITING_FOR_OLD_PLUGIN("WaitingForOldPlugin", false, "%s"),
    ROLLING_OUT("RollingOut", false, "waiting for %s"),
    INSTALLED("Installed", false, "the driver is installed; %s selected GPU nodes run a ready kubelet plugin"),
    STABLE("Stable", false, "nothing is rolling out"),
    AS_EXPECTED("AsExpected", false, "no problems found");

    private final String word;
    private final boolean blocking;
    private final String template;

    Reason(String word, boolean blocking, String template) {
        this.word = word;
        this.blocking = blocking;
        this.template = template;
    }

    /** As it appears in a condition's {@code reason}. */
    String word() {
        return word;
    }

    boolean blocking() {
        return blocking;
    }

    /** This reason's message with {@code details} in its places (a {@link java.util.Formatter} template). */
    String message(Object... details) {
        return String.format(Locale.ROOT, template, details);
    }
}
