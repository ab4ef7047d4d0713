package io.alauda.dra.doctor;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Prints a CEL sub-expression and a CEL value the way a user wrote or would write them. */
final class ExprText {

    private static final Map<String, String> BINARY = Map.ofEntries(
            Map.entry("_==_", "=="), Map.entry("_!=_", "!="), Map.entry("_<_", "<"), Map.entry("_<=_", "<="),
            Map.entry("_>_", ">"), Map.entry("_>=_", ">="), Map.entry("_&&_", "&&"), Map.entry("_||_", "||"),
            Map.entry("_+_", "+"), Map.entry("_-_", "-"), Map.entry("_*_", "*"), Map.entry("_/_", "/"),
            Map.entry("_%_", "%"), Map.entry("@in", "in"));

    private ExprText() {
    }

    static String of(CelExpr e) {
        switch (e.exprKind().getKind()) {
            case CONSTANT:
                return constant(e.constant());
            case IDENT:
                return e.ident().name();
            case SELECT:
                if (e.select().testOnly()) {
                    return "has(" + of(e.select().operand()) + "." + e.select().field() + ")";
                }
                return of(e.select().operand()) + "." + e.select().field();
            case LIST:
                return e.list().elements().stream().map(ExprText::of).collect(Collectors.joining(", ", "[", "]"));
            case MAP:
                return e.map().entries().stream().map(en -> of(en.key()) + ": " + of(en.value()))
                        .collect(Collectors.joining(", ", "{", "}"));
            case CALL:
                return call(e);
            case COMPREHENSION:
                return "<comprehension over " + of(e.comprehension().iterRange()) + ">";
            default:
                return e.toString();
        }
    }

    private static String call(CelExpr e) {
        String fn = e.call().function();
        List<CelExpr> args = e.call().args();
        String op = BINARY.get(fn);
        if (op != null && args.size() == 2) {
            return wrap(args.get(0)) + " " + op + " " + wrap(args.get(1));
        }
        if (fn.equals("_[_]") && args.size() == 2) {
            return of(args.get(0)) + "[" + of(args.get(1)) + "]";
        }
        if (fn.equals("!_") && args.size() == 1) {
            return "!" + wrap(args.get(0));
        }
        if (fn.equals("-_") && args.size() == 1) {
            return "-" + wrap(args.get(0));
        }
        if (fn.equals("_?_:_") && args.size() == 3) {
            return wrap(args.get(0)) + " ? " + wrap(args.get(1)) + " : " + wrap(args.get(2));
        }
        String list = args.stream().map(ExprText::of).collect(Collectors.joining(", ", "(", ")"));
        return e.call().target().map(t -> wrap(t) + "." + fn + list).orElse(fn + list);
    }

    private static String wrap(CelExpr e) {
        if (e.exprKind().getKind() == CelExpr.ExprKind.Kind.CALL) {
            String fn = e.call().function();
            if (BINARY.containsKey(fn) || fn.equals("_?_:_")) {
                return "(" + of(e) + ")";
            }
        }
        return of(e);
    }

    private static String constant(CelConstant c) {
        switch (c.getKind()) {
            case STRING_VALUE:
                return quote(c.stringValue());
            case INT64_VALUE:
                return Long.toString(c.int64Value());
            case BOOLEAN_VALUE:
                return Boolean.toString(c.booleanValue());
            case DOUBLE_VALUE:
                return Double.toString(c.doubleValue());
            case NULL_VALUE:
                return "null";
            default:
                return c.toString();
        }
    }

    static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** A runtime value, with its type where the type matters to the user. */
    static String value(Object v) {
        if (v == null) {
            return "(no value)";
        }
        if (v instanceof String s) {
            return quote(s);
        }
        if (v instanceof SemVer s) {
            return "version " + s;
        }
        if (v instanceof Quantity q) {
            return "quantity " + q;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(ExprText::value).collect(Collectors.joining(", ", "[", "]"));
        }
        if (v instanceof Map<?, ?> m) {
            return m.keySet().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ", "map with keys {", "}"));
        }
        return String.valueOf(v);
    }

    /** The CEL type name of a runtime value, for type mismatch messages. */
    static String typeName(Object v) {
        if (v instanceof String) {
            return "string";
        }
        if (v instanceof Long || v instanceof Integer) {
            return "int";
        }
        if (v instanceof Double) {
            return "double";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof SemVer) {
            return "version";
        }
        if (v instanceof Quantity) {
            return "quantity";
        }
        if (v instanceof List<?>) {
            return "list";
        }
        if (v instanceof Map<?, ?>) {
            return "map";
        }
        return v == null ? "null" : v.getClass().getSimpleName();
    }
}
