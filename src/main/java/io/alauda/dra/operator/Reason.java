package io.alauda.dra.operator;

/**
 * Every reason the operator writes into an NvidiaDraDriver's conditions, with the word admins and alerts match on
 * ({@link #word()}) and whether a problem of this kind stops the install ({@link #blocking()}). One list, so that a
 * reason is spelled once and its severity decided once.
 */
enum Reason {
    // problems that stop the install: nothing is applied while they stand
    INVALID_SPEC("InvalidSpec", true),
    KUBERNETES_TOO_OLD("KubernetesTooOld", true),
    KUBERNETES_VERSION_UNKNOWN("KubernetesVersionUnknown", true),
    DRA_NOT_SERVED("DRANotServed", true),
    RESOURCE_API_VERSION_NOT_SERVED("ResourceApiVersionNotServed", true),
    DUPLICATE("Duplicate", true),
    RECONCILE_FAILED("ReconcileFailed", true),
    // problems reported while the install goes on
    APPLY_FAILED("ApplyFailed", false),
    OBJECT_CONFLICT("ObjectConflict", false),
    FIELD_NOT_KEPT("FieldNotKept", false),
    FEATURE_GATE_NOT_IMPLEMENTED("FeatureGateNotImplemented", false),
    NODE_LABEL_CONFLICT("NodeLabelConflict", false),
    NAMESPACE_IN_USE("NamespaceInUse", false),
    NODE_CHECKS_FAILED("NodeChecksFailed", false),
    // states, not problems
    NO_MATCHING_NODES("NoMatchingNodes", false),
    WAITING_FOR_OLD_PLUGIN("WaitingForOldPlugin", false),
    ROLLING_OUT("RollingOut", false),
    INSTALLED("Installed", false),
    STABLE("Stable", false),
    AS_EXPECTED("AsExpected", false);

    private final String word;
    private final boolean blocking;

    Reason(String word, boolean blocking) {
        this.word = word;
        this.blocking = blocking;
    }

    /** As it appears in a condition's {@code reason}. */
    String word() {
        return word;
    }

    boolean blocking() {
        return blocking;
    }
}
