package io.alauda.dra.doctor;

import java.util.List;
import java.util.Map;

/** A pool's node selector (core/v1 NodeSelector): the terms are ORed, a term's requirements ANDed. */
public record NodeSelector(List<Term> terms) {

    /** One nodeSelectorTerm; {@code fields} only knows {@code metadata.name}. */
    public record Term(List<Requirement> labels, List<Requirement> fields) {
    }

    /** A match expression: operator In, NotIn, Exists, DoesNotExist, Gt or Lt. */
    public record Requirement(String key, String operator, List<String> values) {

        boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (operator) {
                case "In" -> v != null && values.contains(v);
                case "NotIn" -> v == null || !values.contains(v);
                case "Exists" -> v != null;
                case "DoesNotExist" -> v == null;
                case "Gt", "Lt" -> {
                    try {
                        long have = Long.parseLong(v == null ? "" : v);
                        long want = Long.parseLong(values.get(0));
                        yield operator.equals("Gt") ? have > want : have < want;
                    } catch (NumberFormatException | IndexOutOfBoundsException e) {
                        yield false;
                    }
                }
                default -> false;
            };
        }

        @Override
        public String toString() {
            return key + " " + operator + (values.isEmpty() ? "" : " " + values);
        }
    }

    public boolean matches(Node node) {
        for (Term term : terms) {
            if (term.labels().isEmpty() && term.fields().isEmpty()) {
                continue;
            }
            boolean all = term.labels().stream().allMatch(r -> r.matches(node.labels()))
                    && term.fields().stream().allMatch(r -> r.matches(Map.of("metadata.name", node.name())));
            if (all) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Term t : terms) {
            if (b.length() > 0) {
                b.append(" OR ");
            }
            List<Requirement> all = new java.util.ArrayList<>(t.labels());
            all.addAll(t.fields());
            b.append(all.stream().map(Requirement::toString).reduce((x, y) -> x + " AND " + y).orElse("(empty)"));
        }
        return b.toString();
    }
}
