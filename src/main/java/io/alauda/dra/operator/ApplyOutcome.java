package io.alauda.dra.operator;

/**
 * What applying one desired object did. {@code problem} explains a conflict, a failure or a field the server did not
 * keep to the admin; null when there is nothing to say.
 */
record ApplyOutcome(Kind kind, String object, Problem problem) {

    enum Kind {
        CREATED, UPDATED, UNCHANGED, CONFLICT, FAILED
    }

    boolean wrote() {
        return kind == Kind.CREATED || kind == Kind.UPDATED;
    }
}
