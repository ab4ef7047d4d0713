package io.alauda.dra.doctor;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Says why a selector was not true for a device, from the values the evaluation trace recorded per sub-expression:
 * the false operand of {@code &&}, every operand of {@code ||}, both sides of a comparison, the missing attribute
 * behind a "no such key" error, the two types of a comparison Kubernetes rejects.
 */
final class SelectorExplainer {

    private static final Set<String> COMPARISONS = Set.of("_==_", "_!=_", "_<_", "_<=_", "_>_", "_>=_");
    private static final Map<String, String> WANTED = Map.of("_==_", "wanted", "_!=_", "wanted anything but",
            "_<_", "wanted less than", "_<=_", "wanted at most", "_>_", "wanted more than", "_>=_", "wanted at least");

    private final Map<Long, Object> values;
    private SelectorResult.Miss miss;

    private SelectorExplainer(Map<Long, Object> values) {
        this.values = values;
    }

    static SelectorResult explain(CelExpr root, Map<Long, Object> values, Object out, String error) {
        SelectorExplainer x = new SelectorExplainer(values);
        if (error == null) {
            String mismatch = x.strictEqualityMismatch(root);
            if (mismatch != null && !Boolean.TRUE.equals(out)) {
                return new SelectorResult(SelectorResult.Status.ERROR, mismatch, null);
            }
            if (Boolean.TRUE.equals(out)) {
                return SelectorResult.MATCH;
            }
            if (!(out instanceof Boolean)) {
                return new SelectorResult(SelectorResult.Status.ERROR,
                        "the expression returned " + ExprText.value(out) + ", not a bool", null);
            }
            String why = x.why(root);
            return new SelectorResult(SelectorResult.Status.NO_MATCH, why, x.miss);
        }
        String why = x.error(root, error);
        return new SelectorResult(SelectorResult.Status.ERROR, why, x.miss);
    }

    private boolean evaluated(CelExpr e) {
        return values.containsKey(e.id());
    }

    private Object value(CelExpr e) {
        return values.get(e.id());
    }

    /** Why {@code e}, evaluated to false, is false. */
    private String why(CelExpr e) {
        if (e.exprKind().getKind() == CelExpr.ExprKind.Kind.SELECT && e.select().testOnly()) {
            return name(e.select().operand(), e.select().field()) + " is not published by this device";
        }
        if (e.exprKind().getKind() != CelExpr.ExprKind.Kind.CALL) {
            return ExprText.of(e) + " is " + ExprText.value(value(e));
        }
        String fn = e.call().function();
        List<CelExpr> args = e.call().args();
        switch (fn) {
            case "_&&_":
                for (CelExpr a : args) {
                    if (!Boolean.TRUE.equals(value(a))) {
                        return why(a);
                    }
                }
                break;
            case "_||_": {
                List<String> all = new ArrayList<>();
                for (CelExpr a : args) {
                    all.add(why(a));
                }
                return "none of the alternatives holds: " + String.join("; and ", all);
            }
            case "!_":
                return ExprText.of(args.get(0)) + " is true (negated)";
            case "_?_:_":
                return why(Boolean.TRUE.equals(value(args.get(0))) ? args.get(1) : args.get(2));
            case "@in": {
                CelExpr left = args.get(0);
                return describe(left) + ", not in " + ExprText.of(args.get(1));
            }
            default:
                break;
        }
        if (COMPARISONS.contains(fn) && args.size() == 2) {
            CelExpr left = args.get(0);
            CelExpr right = args.get(1);
            if (fn.equals("_==_") && value(right) instanceof String wanted && attributeName(left) != null) {
                miss = new SelectorResult.Miss(attributeName(left), wanted);
            }
            if (left.exprKind().getKind() == CelExpr.ExprKind.Kind.CALL && left.call().function().equals("compareTo")
                    && left.call().target().isPresent() && left.call().args().size() == 1) {
                return describe(left.call().target().get()) + ", compareTo(" + ExprText.value(value(left.call().args().get(0)))
                        + ") is " + ExprText.value(value(left)) + ", " + WANTED.get(fn) + " " + ExprText.value(value(right));
            }
            if (attributeName(left) == null && attributeName(right) != null) {
                return describe(right) + ", so " + ExprText.of(e) + " is false";
            }
            return describe(left) + ", " + WANTED.get(fn) + " " + ExprText.value(value(right));
        }
        if (e.call().target().isPresent() && args.size() == 1) {
            CelExpr target = e.call().target().get();
            switch (fn) {
                case "isGreaterThan":
                    return describe(target) + ", wanted greater than " + ExprText.value(value(args.get(0)));
                case "isLessThan":
                    return describe(target) + ", wanted less than " + ExprText.value(value(args.get(0)));
                case "startsWith", "endsWith", "contains", "matches":
                    return describe(target) + ", which does not " + fn.replaceAll("s$", "").replace("startsWith", "start with")
                            .replace("endsWith", "end with") + " " + ExprText.value(value(args.get(0)));
                default:
                    break;
            }
        }
        return ExprText.of(e) + " is false";
    }

    /** "productName is 'NVIDIA H100 80GB HBM3'" for an attribute, else "expr is value". */
    private String describe(CelExpr e) {
        String attr = attributeName(e);
        return (attr != null ? attr : ExprText.of(e)) + " is " + ExprText.value(value(e));
    }

    /** {@code domain/id} when {@code e} is {@code device.attributes[domain][id]} (or .id), else null. */
    static String attributeName(CelExpr e) {
        String id = key(e);
        if (id == null) {
            return null;
        }
        CelExpr domainExpr = operand(e);
        String domain = key(domainExpr);
        if (domain == null) {
            return null;
        }
        CelExpr field = operand(domainExpr);
        if (field.exprKind().getKind() != CelExpr.ExprKind.Kind.SELECT
                || !field.select().operand().exprKind().getKind().equals(CelExpr.ExprKind.Kind.IDENT)
                || !field.select().operand().ident().name().equals("device")) {
            return null;
        }
        String kind = field.select().field();
        if (!kind.equals("attributes") && !kind.equals("capacity")) {
            return null;
        }
        return (kind.equals("capacity") ? "capacity " : "") + domain + "/" + id;
    }

    private static String key(CelExpr e) {
        if (e.exprKind().getKind() == CelExpr.ExprKind.Kind.SELECT) {
            return e.select().field();
        }
        if (e.exprKind().getKind() == CelExpr.ExprKind.Kind.CALL && e.call().function().equals("_[_]")
                && e.call().args().size() == 2) {
            CelExpr k = e.call().args().get(1);
            if (k.exprKind().getKind() == CelExpr.ExprKind.Kind.CONSTANT
                    && k.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
                return k.constant().stringValue();
            }
        }
        return null;
    }

    private static CelExpr operand(CelExpr e) {
        return e.exprKind().getKind() == CelExpr.ExprKind.Kind.SELECT ? e.select().operand() : e.call().args().get(0);
    }

    private static String name(CelExpr operand, String field) {
        CelExpr fake = CelExpr.ofSelect(0, operand, field, false);
        String attr = attributeName(fake);
        return attr != null ? attr : ExprText.of(operand) + "." + field;
    }

    /**
     * Kubernetes' CEL (cel-go) errors on {@code version == 'string'} and {@code quantity == 'string'} (no such
     * overload), where dev.cel says false; the first such comparison evaluated, described, else null.
     */
    private String strictEqualityMismatch(CelExpr root) {
        List<CelExpr> all = new ArrayList<>();
        collect(root, all);
        for (CelExpr e : all) {
            if (e.exprKind().getKind() == CelExpr.ExprKind.Kind.CALL
                    && (e.call().function().equals("_==_") || e.call().function().equals("_!=_"))
                    && e.call().args().size() == 2) {
                Object l = value(e.call().args().get(0));
                Object r = value(e.call().args().get(1));
                if ((l instanceof SemVer || l instanceof Quantity) && r != null && l.getClass() != r.getClass()) {
                    return mismatch(e, l, r);
                }
            }
        }
        return null;
    }

    private String mismatch(CelExpr e, Object l, Object r) {
        CelExpr left = e.call().args().get(0);
        String fn = e.call().function();
        String hint = "";
        if (l instanceof SemVer && r instanceof String s) {
            String literal = s;
            try {
                literal = SemVer.parseNormalized(s).toString();
            } catch (IllegalArgumentException ignored) {
                // keep the user's text; the hint still shows the form
            }
            String op = ExprText.of(e).substring(ExprText.of(left).length()).trim().split(" ")[0];
            hint = "; compare versions as versions: " + ExprText.of(left)
                    + (fn.equals("_==_") || fn.equals("_!=_") ? " " + op + " semver(" + ExprText.quote(literal) + ")"
                    : ".compareTo(semver(" + ExprText.quote(literal) + ")) " + op + " 0");
        } else if (l instanceof Quantity && r instanceof String s) {
            String op = ExprText.of(e).substring(ExprText.of(left).length()).trim().split(" ")[0];
            hint = "; compare quantities as quantities: " + ExprText.of(left) + ".compareTo(quantity(" + ExprText.quote(s)
                    + ")) " + op + " 0";
        }
        return "type mismatch: " + describe(left) + " (a " + ExprText.typeName(l) + "), compared with "
                + ExprText.value(r) + " (a " + ExprText.typeName(r) + "); Kubernetes fails with 'no such overload'" + hint;
    }

    private static void collect(CelExpr e, List<CelExpr> out) {
        switch (e.exprKind().getKind()) {
            case SELECT -> collect(e.select().operand(), out);
            case CALL -> {
                e.call().target().ifPresent(t -> collect(t, out));
                e.call().args().forEach(a -> collect(a, out));
            }
            case LIST -> e.list().elements().forEach(a -> collect(a, out));
            case MAP -> e.map().entries().forEach(en -> {
                collect(en.key(), out);
                collect(en.value(), out);
            });
            case COMPREHENSION -> {
                var c = e.comprehension();
                collect(c.iterRange(), out);
                collect(c.accuInit(), out);
                collect(c.loopCondition(), out);
                collect(c.loopStep(), out);
                collect(c.result(), out);
            }
            default -> {
            }
        }
        out.add(e);
    }

    /** Names the sub-expression whose evaluation failed: the first not evaluated whose operands all were. */
    private String error(CelExpr root, String message) {
        List<CelExpr> all = new ArrayList<>();
        collect(root, all);
        for (CelExpr e : all) {
            if (evaluated(e) || !childrenEvaluated(e)) {
                continue;
            }
            String attr = attributeName(e);
            if (attr != null) {
                miss = new SelectorResult.Miss(attr, null);
                return (attr.startsWith("capacity ") ? attr : "attribute " + attr)
                        + " is not published by this device (Kubernetes: 'no such key'"
                        + "; the scheduler stops allocating on this node with a CEL runtime error)";
            }
            if (key(e) != null) {
                CelExpr op = operand(e);
                if (attributeName(op) == null && ExprText.of(op).startsWith("device.")) {
                    return "no attributes in domain " + ExprText.quote(key(e)) + " on this device (Kubernetes: 'no such key'; "
                            + "the scheduler stops allocating on this node with a CEL runtime error)";
                }
            }
            if (e.exprKind().getKind() == CelExpr.ExprKind.Kind.CALL) {
                List<CelExpr> operands = new ArrayList<>(e.call().args());
                e.call().target().ifPresent(t -> operands.add(0, t));
                if (operands.size() == 2 && COMPARISONS.contains(e.call().function())) {
                    return mismatch(e, value(operands.get(0)), value(operands.get(1)));
                }
                StringBuilder b = new StringBuilder(ExprText.of(e)).append(" failed: ").append(clean(message));
                for (CelExpr o : operands) {
                    b.append("; ").append(describe(o)).append(" (a ").append(ExprText.typeName(value(o))).append(')');
                }
                return b.toString();
            }
            return ExprText.of(e) + " failed: " + clean(message);
        }
        return "CEL runtime error: " + clean(message);
    }

    private boolean childrenEvaluated(CelExpr e) {
        switch (e.exprKind().getKind()) {
            case SELECT:
                return evaluated(e.select().operand());
            case CALL:
                String fn = e.call().function();
                if (fn.equals("_&&_") || fn.equals("_||_") || fn.equals("_?_:_")) {
                    return false;
                }
                return e.call().args().stream().allMatch(this::evaluated)
                        && e.call().target().map(this::evaluated).orElse(true);
            case COMPREHENSION:
                return false;
            default:
                return true;
        }
    }

    private static String clean(String message) {
        if (message == null) {
            return "";
        }
        return message.replaceFirst("^evaluation error at <input>:\\d+: ", "");
    }
}
