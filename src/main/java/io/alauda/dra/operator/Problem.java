package io.alauda.dra.operator;

/** One thing a reconcile found wrong, worded by its reason; whether it stops the install is the reason's. */
record Problem(Reason reason, String message) {

    static Problem of(Reason reason, Object... details) {
        return new Problem(reason, reason.message(details));
    }

    boolean blocking() {
        return reason.blocking();
    }
}
