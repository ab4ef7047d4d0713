package io.alauda.dra.doctor;

import dev.cel.common.ast.CelExpr;

/**
 * A worst-case cost estimate of a selector, in CEL cost units, shaped like cel-go's estimator with Kubernetes' size
 * bounds for the {@code device} variable: every node costs 1, string functions cost a tenth of the string's length
 * (attribute strings are at most 64 characters), comprehensions cost their body once per element (a device has at most
 * 32 attributes and 32 capacities; list literals have their length; other ranges are taken as 64 elements).
 * It is an approximation: it catches nested loops over attributes, not the exact figure kube-apiserver computes.
 */
final class SelectorCost {

    static final long MAX_ELEMENTS = 32;
    static final long UNKNOWN_ELEMENTS = 64;
    static final long MAX_STRING = 64;

    private SelectorCost() {
    }

    static long estimate(CelExpr e) {
        switch (e.exprKind().getKind()) {
            case CONSTANT:
                return 0;
            case IDENT:
                return 1;
            case SELECT:
                return 1 + estimate(e.select().operand());
            case LIST:
                return 10 + e.list().elements().stream().mapToLong(SelectorCost::estimate).sum();
            case MAP:
                return 30 + e.map().entries().stream().mapToLong(en -> estimate(en.key()) + estimate(en.value())).sum();
            case CALL: {
                long c = 1 + e.call().args().stream().mapToLong(SelectorCost::estimate).sum()
                        + e.call().target().map(SelectorCost::estimate).orElse(0L);
                switch (e.call().function()) {
                    case "contains", "startsWith", "endsWith", "lowerAscii", "upperAscii", "replace", "split",
                            "substring", "trim", "indexOf", "lastIndexOf", "join" -> c += (MAX_STRING + 9) / 10;
                    case "matches" -> c += MAX_STRING * MAX_STRING / 10;
                    default -> {
                    }
                }
                return c;
            }
            case COMPREHENSION: {
                var comp = e.comprehension();
                long n = elements(comp.iterRange());
                long body = estimate(comp.loopCondition()) + estimate(comp.loopStep());
                return saturatingAdd(estimate(comp.iterRange()) + estimate(comp.accuInit()) + estimate(comp.result()),
                        saturatingMultiply(n, saturatingAdd(body, 1)));
            }
            default:
                return 1;
        }
    }

    private static long elements(CelExpr range) {
        switch (range.exprKind().getKind()) {
            case LIST:
                return range.list().elements().size();
            case MAP:
                return range.map().entries().size();
            case SELECT:
            case CALL:
                return mentionsDevice(range) ? MAX_ELEMENTS : UNKNOWN_ELEMENTS;
            default:
                return UNKNOWN_ELEMENTS;
        }
    }

    private static boolean mentionsDevice(CelExpr e) {
        return ExprText.of(e).startsWith("device.");
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }

    private static long saturatingMultiply(long a, long b) {
        long r = a * b;
        return (a != 0 && (r / a != b || r < 0)) ? Long.MAX_VALUE : r;
    }
}
