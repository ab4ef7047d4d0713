package io.alauda.dra.operator;

/** What applying one desired object did. {@code detail} explains a conflict or a failure to the admin. */
record ApplyOutcome(Kind kind, String object, String detail) {

    enum Kind {
        CREATED, UPDATED, UNCHANGED, CONFLICT, FAILED
    }

    boolean wrote() {
        return kind == Kind.CREATED || kind == Kind.UPDATED;
    }

    boolean problem() {
        return kind == Kind.CONFLICT || kind == Kind.FAILED;
    }
}
