package io.alauda.dra.doctor;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One compiled selector. {@link #evaluate} answers per device. When every use of {@code device} in the expression is
 * {@code device.driver} or an attribute/capacity looked up by constant names, the answer depends only on those
 * values, so it is computed once per distinct tuple of them (8,000 devices of a few products cost a few
 * evaluations); otherwise every device is evaluated. Not thread-safe (the memo).
 */
public final class Selector {

    private static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "(missing)";
        }
    };

    /**
     * One lookup the expression makes: kind 0 = driver, 1 = attributes, 2 = capacity, 3 = the attribute names of a
     * domain, 4 = the capacity names of a domain (for {@code exists}/{@code all} over a domain's map, {@code size()}
     * and {@code in}, whose answer depends only on which names are published).
     */
    private record Path(int kind, String domain, String id) {
    }

    private final String expression;
    private final CelAbstractSyntaxTree ast;
    private final CelRuntime.Program program;
    private final long estimatedCost;
    private final List<Path> paths;
    private final Map<List<Object>, SelectorResult> memo = new HashMap<>();
    private boolean lastMatched = true;

    Selector(String expression, CelAbstractSyntaxTree ast, CelRuntime.Program program, long estimatedCost) {
        this.expression = expression;
        this.ast = ast;
        this.program = program;
        this.estimatedCost = estimatedCost;
        this.paths = lookups(ast);
    }

    public String expression() {
        return expression;
    }

    public long estimatedCost() {
        return estimatedCost;
    }

    /** Whether results are shared between devices with equal looked-up values. */
    public boolean memoized() {
        return paths != null;
    }

    SelectorResult evaluate(DeviceVars d) {
        if (paths == null) {
            // Not memoizable: a plain evaluation first, then a traced one to explain a non-match. After a non-match
            // the next device most likely does not match either, so it goes to the traced evaluation directly.
            SelectorResult r = evaluateFully(d, !lastMatched);
            lastMatched = r.status() == SelectorResult.Status.MATCH;
            return r;
        }
        Object[] key = new Object[paths.size()];
        for (int i = 0; i < key.length; i++) {
            Path p = paths.get(i);
            Object v = p.kind == 0 ? d.device.driver() : p.kind >= 3 ? d.names(p.kind == 4, p.domain)
                    : d.lookup(p.kind == 2, p.domain, p.id);
            key[i] = v == null ? MISSING : v;
        }
        List<Object> k = Arrays.asList(key);
        SelectorResult r = memo.get(k);
        if (r == null) {
            r = evaluateFully(d, true);
            memo.put(k, r);
        }
        return r;
    }

    private SelectorResult evaluateFully(DeviceVars d, boolean trace) {
        if (!trace) {
            try {
                Object out = program.eval(d.activation());
                if (Boolean.TRUE.equals(out)) {
                    return SelectorResult.MATCH;
                }
            } catch (CelEvaluationException | RuntimeException e) {
                // explained below, with a trace
            }
        }
        Map<Long, Object> values = new HashMap<>();
        Object out;
        String error = null;
        try {
            out = program.trace(d.activation(), (expr, value) -> values.put(expr.id(), value));
        } catch (CelEvaluationException | RuntimeException e) {
            out = null;
            error = e.getMessage();
        }
        return SelectorExplainer.explain(ast.getExpr(), values, out, error);
    }

    /** A {@code cel.bind(var, device.attributes['domain'], ...)}: the variable stands for one domain's map. */
    private record Bound(int kind, String domain, long comprehensionId, long initId, long stepId) {
    }

    /**
     * The constant lookups of {@code device} (directly, or through a {@code cel.bind} variable holding one domain's
     * map), or null when the expression uses {@code device} any other way.
     */
    private static List<Path> lookups(CelAbstractSyntaxTree ast) {
        List<CelNavigableExpr> all = CelNavigableAst.fromAst(ast).getRoot().allNodes().toList();
        Map<String, Bound> binds = new HashMap<>();
        java.util.Set<String> loopVars = new java.util.HashSet<>();
        for (CelNavigableExpr n : all) {
            if (n.getKind() != CelExpr.ExprKind.Kind.COMPREHENSION) {
                continue;
            }
            var c = n.expr().comprehension();
            Bound b = bound(n.expr());
            if (b != null) {
                if (binds.put(c.accuVar(), b) != null) {
                    return null;
                }
            } else {
                loopVars.add(c.accuVar());
                loopVars.add(c.iterVar());
            }
        }
        for (String v : binds.keySet()) {
            if (loopVars.contains(v) || v.equals("device")) {
                return null;
            }
        }
        List<Path> out = new ArrayList<>();
        for (CelNavigableExpr use : all) {
            if (use.getKind() != CelExpr.ExprKind.Kind.IDENT) {
                continue;
            }
            String ident = use.expr().ident().name();
            Bound b = binds.get(ident);
            if (b != null) {
                if (use.id() == b.stepId) {
                    continue;
                }
                String id = use.parent().map(n -> constantKey(n, use.expr())).orElse(null);
                if (id == null) {
                    if (use.parent().isPresent() && namesOnly(use.parent().get(), use.id())) {
                        out.add(new Path(b.kind + 2, b.domain, null));
                        continue;
                    }
                    return null;
                }
                out.add(new Path(b.kind, b.domain, id));
                continue;
            }
            if (!ident.equals("device")) {
                continue;
            }
            Optional<CelNavigableExpr> field = use.parent();
            if (field.isEmpty() || field.get().getKind() != CelExpr.ExprKind.Kind.SELECT
                    || field.get().expr().select().testOnly()) {
                return null;
            }
            String name = field.get().expr().select().field();
            if (name.equals("driver")) {
                out.add(new Path(0, null, null));
                continue;
            }
            int kind = name.equals("attributes") ? 1 : name.equals("capacity") ? 2 : -1;
            if (kind < 0) {
                return null;
            }
            Optional<CelNavigableExpr> domainNode = field.get().parent();
            String domain = domainNode.map(n -> constantKey(n, field.get().expr())).orElse(null);
            if (domain == null || domainNode.get().expr().exprKind().getKind() == CelExpr.ExprKind.Kind.SELECT
                    && domainNode.get().expr().select().testOnly()) {
                return null;
            }
            long domainId = domainNode.get().id();
            if (binds.values().stream().anyMatch(x -> x.initId == domainId)) {
                continue;
            }
            Optional<CelNavigableExpr> idNode = domainNode.get().parent();
            String id = idNode.map(n -> constantKey(n, domainNode.get().expr())).orElse(null);
            if (id == null) {
                if (idNode.isPresent() && namesOnly(idNode.get(), domainId)) {
                    out.add(new Path(kind + 2, domain, null));
                    continue;
                }
                return null;
            }
            out.add(new Path(kind, domain, id));
        }
        return List.copyOf(new java.util.LinkedHashSet<>(out));
    }

    /** The bind when {@code e} is cel.bind's expansion with {@code device.attributes[domain]} as the value, else null. */
    private static Bound bound(CelExpr e) {
        var c = e.comprehension();
        if (c.iterRange().exprKind().getKind() != CelExpr.ExprKind.Kind.LIST || !c.iterRange().list().elements().isEmpty()) {
            return null;
        }
        CelExpr init = c.accuInit();
        String domain = null;
        CelExpr field = null;
        if (init.exprKind().getKind() == CelExpr.ExprKind.Kind.CALL && init.call().function().equals("_[_]")
                && init.call().args().size() == 2 && init.call().args().get(1).exprKind().getKind() == CelExpr.ExprKind.Kind.CONSTANT
                && init.call().args().get(1).constant().getKind() == CelConstant.Kind.STRING_VALUE) {
            domain = init.call().args().get(1).constant().stringValue();
            field = init.call().args().get(0);
        } else if (init.exprKind().getKind() == CelExpr.ExprKind.Kind.SELECT && !init.select().testOnly()) {
            domain = init.select().field();
            field = init.select().operand();
        }
        if (field == null || field.exprKind().getKind() != CelExpr.ExprKind.Kind.SELECT
                || field.select().operand().exprKind().getKind() != CelExpr.ExprKind.Kind.IDENT
                || !field.select().operand().ident().name().equals("device")) {
            return null;
        }
        int kind = field.select().field().equals("attributes") ? 1 : field.select().field().equals("capacity") ? 2 : -1;
        return kind < 0 ? null : new Bound(kind, domain, e.id(), init.id(), c.loopStep().id());
    }

    /**
     * Whether {@code parent} uses its child {@code mapId} (one domain's map) only for its names: a comprehension
     * ({@code exists}, {@code all}, {@code exists_one}, {@code filter}, {@code map}) iterating over it, {@code size()}, or
     * the right side of {@code in}. Values reached through the loop variable are lookups of their own, which make the
     * selector unmemoizable when their key is not constant.
     */
    private static boolean namesOnly(CelNavigableExpr parent, long mapId) {
        CelExpr p = parent.expr();
        if (p.exprKind().getKind() == CelExpr.ExprKind.Kind.COMPREHENSION) {
            return p.comprehension().iterRange().id() == mapId;
        }
        if (p.exprKind().getKind() != CelExpr.ExprKind.Kind.CALL) {
            return false;
        }
        var call = p.call();
        if (call.function().equals("size")) {
            return call.target().map(t -> t.id() == mapId).orElse(false)
                    || call.args().size() == 1 && call.args().get(0).id() == mapId;
        }
        return call.function().equals("@in") && call.args().size() == 2 && call.args().get(1).id() == mapId;
    }

    /** The constant key of {@code parent} when it is {@code operand.key} or {@code operand['key']}, else null. */
    private static String constantKey(CelNavigableExpr parent, CelExpr operand) {
        CelExpr p = parent.expr();
        if (p.exprKind().getKind() == CelExpr.ExprKind.Kind.SELECT && p.select().operand().id() == operand.id()) {
            return p.select().field();
        }
        if (p.exprKind().getKind() == CelExpr.ExprKind.Kind.CALL && p.call().function().equals("_[_]")
                && p.call().args().size() == 2 && p.call().args().get(0).id() == operand.id()) {
            CelExpr key = p.call().args().get(1);
            if (key.exprKind().getKind() == CelExpr.ExprKind.Kind.CONSTANT
                    && key.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
                return key.constant().stringValue();
            }
        }
        return null;
    }
}
