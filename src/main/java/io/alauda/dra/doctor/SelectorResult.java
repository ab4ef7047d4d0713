package io.alauda.dra.doctor;

/**
 * What one selector says about one device.
 *
 * @param why  for NO_MATCH and ERROR: the false (or failing) part of the expression with the values on both sides
 * @param miss for a failed string equality on an attribute: the attribute and the wanted value (for near misses)
 */
public record SelectorResult(Status status, String why, Miss miss) {

    /** MATCH: true. NO_MATCH: false. ERROR: a CEL runtime error, which stops the scheduler's allocation on the node. */
    public enum Status {
        MATCH, NO_MATCH, ERROR
    }

    /**
     * {@code attribute == wanted} was false: the attribute (qualified name) and the wanted string; or, with
     * {@code wanted} null, the attribute is not published at all.
     */
    public record Miss(String attribute, String wanted) {
    }

    static final SelectorResult MATCH = new SelectorResult(Status.MATCH, null, null);
}
