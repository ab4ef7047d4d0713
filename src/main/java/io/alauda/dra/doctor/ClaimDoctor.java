package io.alauda.dra.doctor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The claim doctor: for each request of a claim, which devices match and, for each that does not, the first reason
 * (node, class selector, claim selector, taint, allocation, capacity), concretely; then whether some node can hold
 * all requests together with the claim's matchAttribute constraints, as the scheduler's allocator requires.
 * One instance per inventory; {@link #explain} may be called for many claims. Not thread-safe.
 */
public final class ClaimDoctor {

    private static final String ANY_NODE = "";
    private static final int MAX_COMBINATIONS = 4096;

    private final List<DeviceVars> devices = new ArrayList<>();
    private final List<Set<String>> usableOn = new ArrayList<>();
    private final Map<String, DeviceClass> classes = new LinkedHashMap<>();
    private final Set<String> nodeNames;
    private final Set<String> adminAccessNamespaces;
    /** Per device (same index as {@link #devices}): the allocations holding it, empty when none. */
    private final List<List<Allocation>> holders = new ArrayList<>();
    private Map<String, Object> compiled = new HashMap<>();

    public ClaimDoctor(Inventory inventory) {
        Map<String, Node> nodes = null;
        if (inventory.nodes() != null) {
            nodes = new TreeMap<>();
            for (Node n : inventory.nodes()) {
                nodes.put(n.name(), n);
            }
        }
        nodeNames = nodes == null ? null : nodes.keySet();
        adminAccessNamespaces = inventory.adminAccessNamespaces();
        for (Device d : inventory.devices()) {
            devices.add(new DeviceVars(d));
            usableOn.add(where(d, nodes));
        }
        for (DeviceClass c : inventory.classes()) {
            classes.put(c.name(), c);
        }
        Map<String, List<Allocation>> allocated = new HashMap<>();
        for (Allocation a : inventory.allocations()) {
            allocated.computeIfAbsent(a.deviceId(), k -> new ArrayList<>()).add(a);
        }
        for (DeviceVars d : devices) {
            holders.add(allocated.getOrDefault(d.id, List.of()));
        }
    }

    private static Set<String> where(Device d, Map<String, Node> nodes) {
        if (d.nodeName() != null) {
            return nodes == null || nodes.containsKey(d.nodeName()) ? Set.of(d.nodeName()) : Set.of();
        }
        if (nodes == null) {
            return Set.of(ANY_NODE);
        }
        if (d.nodeSelector() != null) {
            return nodes.values().stream().filter(d.nodeSelector()::matches).map(Node::name)
                    .collect(Collectors.toCollection(LinkedHashSet::new));
        }
        return d.allNodes() ? nodes.keySet() : Set.of();
    }

    /** One request (or subrequest) judged: the public verdict plus what the claim-level check needs. */
    private record Judged(Request request, String name, RequestVerdict verdict, Map<String, List<Integer>> available,
            Map<String, List<Integer>> selected, Cause cause) {

        /** Devices this request needs on {@code node}, or -1 when it cannot be met there. */
        int need(String node) {
            List<Integer> avail = available.getOrDefault(node, List.of());
            if (request.mode() == Request.AllocationMode.ALL) {
                List<Integer> sel = selected.getOrDefault(node, List.of());
                return !sel.isEmpty() && avail.size() == sel.size() ? sel.size() : -1;
            }
            return avail.size() >= request.count() ? (int) request.count() : -1;
        }
    }

    /** Explains one claim. Its selectors are compiled for this call (their per-device memo is not kept across calls). */
    public ClaimReport explain(Claim claim) {
        compiled = new HashMap<>();
        List<RequestVerdict> verdicts = new ArrayList<>();
        List<List<Judged>> alternatives = new ArrayList<>();
        for (Request r : claim.requests()) {
            if (r.firstAvailable().isEmpty()) {
                Judged j = judge(claim, r, r.name());
                verdicts.add(j.verdict);
                alternatives.add(List.of(j));
                continue;
            }
            List<Judged> subs = new ArrayList<>();
            for (Request sub : r.firstAvailable()) {
                subs.add(judge(claim, sub, r.name() + "/" + sub.name()));
            }
            Judged first = subs.stream().filter(j -> j.verdict.satisfiable()).findFirst().orElse(null);
            String summary = first != null
                    ? "first available: " + first.name + " can be met" + (first == subs.get(0) ? "" : " (earlier ones cannot)")
                    : "none of the " + subs.size() + " firstAvailable subrequests can be met";
            verdicts.add(new RequestVerdict(r.name(), null, first != null, summary,
                    first == null ? 0 : first.verdict.matching(), List.of(), List.of()));
            subs.forEach(j -> verdicts.add(j.verdict));
            alternatives.add(subs);
        }
        return together(claim, verdicts, alternatives);
    }

    private Judged judge(Claim claim, Request r, String name) {
        DeviceClass cls = classes.get(r.deviceClassName());
        if (cls == null) {
            String known = classes.keySet().stream().map(ExprText::quote).collect(Collectors.joining(", "));
            String close = classes.keySet().stream().filter(c -> NearMiss.close(String.valueOf(r.deviceClassName()), c))
                    .map(ExprText::quote).collect(Collectors.joining(" or "));
            return unmet(r, name, "DeviceClass " + ExprText.quote(String.valueOf(r.deviceClassName())) + " does not exist"
                    + (close.isEmpty() ? "; DeviceClasses: " + (known.isEmpty() ? "none" : known) : "; did you mean " + close + "?"));
        }
        List<Selector> classSelectors = new ArrayList<>();
        for (int i = 0; i < cls.selectors().size(); i++) {
            Object s = compile(cls.selectors().get(i));
            if (s instanceof String error) {
                return unmet(r, name, "DeviceClass " + cls.name() + " selector #" + (i + 1) + ": " + error);
            }
            classSelectors.add((Selector) s);
        }
        List<Selector> selectors = new ArrayList<>();
        for (int i = 0; i < r.selectors().size(); i++) {
            Object s = compile(r.selectors().get(i));
            if (s instanceof String error) {
                return unmet(r, name, "selector #" + (i + 1) + " " + ExprText.quote(r.selectors().get(i)) + ": " + error);
            }
            selectors.add((Selector) s);
        }
        List<String> problems = new ArrayList<>();
        boolean adminDenied = r.adminAccess() && adminAccessNamespaces != null && !adminAccessNamespaces.contains(claim.namespace());
        if (adminDenied) {
            problems.add("adminAccess is only allowed in namespaces labelled resource.kubernetes.io/admin-access: \"true\"; "
                    + "namespace " + claim.namespace() + " is not");
        }
        List<DeviceVerdict> out = new ArrayList<>(devices.size());
        Map<String, List<Integer>> available = new HashMap<>();
        Map<String, List<Integer>> selected = new HashMap<>();
        Map<SelectorResult.Miss, Integer> misses = new LinkedHashMap<>();
        List<DeviceVars> passedClass = new ArrayList<>();
        int errors = 0;
        // The scheduler's allocator looks at a node's devices in order and stops the whole scheduling cycle (the pod
        // is not bound anywhere) at the first CEL runtime error it meets before it has found enough devices.
        Map<String, Integer> availableSoFar = new HashMap<>();
        Map<String, String> errorOn = new TreeMap<>();
        int matching = 0;
        for (int i = 0; i < devices.size(); i++) {
            DeviceVars d = devices.get(i);
            Reason reason = Reason.MATCHES;
            String detail = "";
            Set<String> on = usableOn.get(i);
            if (on.isEmpty()) {
                reason = d.device.nodeName() != null ? Reason.NODE_GONE : Reason.NODE_NOT_ELIGIBLE;
                detail = d.device.nodeName() != null ? "node " + d.device.nodeName() + " is not in the cluster"
                        : d.device.nodeSelector() != null ? "no node matches the pool's nodeSelector " + d.device.nodeSelector()
                        : "the cluster has no nodes";
            }
            if (reason == Reason.MATCHES) {
                for (int s = 0; s < classSelectors.size(); s++) {
                    SelectorResult res = classSelectors.get(s).evaluate(d);
                    if (res.status() != SelectorResult.Status.MATCH) {
                        reason = res.status() == SelectorResult.Status.ERROR ? Reason.CLASS_SELECTOR_ERROR : Reason.CLASS_SELECTOR_FALSE;
                        detail = "DeviceClass " + cls.name() + " selector" + (classSelectors.size() > 1 ? " #" + (s + 1) : "")
                                + ": " + res.why();
                        break;
                    }
                }
            }
            if (reason == Reason.MATCHES) {
                passedClass.add(d);
                for (int s = 0; s < selectors.size(); s++) {
                    SelectorResult res = selectors.get(s).evaluate(d);
                    if (res.status() != SelectorResult.Status.MATCH) {
                        reason = res.status() == SelectorResult.Status.ERROR ? Reason.SELECTOR_ERROR : Reason.SELECTOR_FALSE;
                        detail = (selectors.size() > 1 ? "selector #" + (s + 1) + ": " : "") + res.why();
                        if (res.miss() != null) {
                            misses.merge(res.miss(), 1, Integer::sum);
                        }
                        break;
                    }
                }
            }
            if (reason == Reason.SELECTOR_ERROR || reason == Reason.CLASS_SELECTOR_ERROR) {
                errors++;
                for (String node : on) {
                    if (!errorOn.containsKey(node) && (r.mode() == Request.AllocationMode.ALL
                            || availableSoFar.getOrDefault(node, 0) < r.count())) {
                        errorOn.put(node, d.id + ": " + detail);
                    }
                }
            }
            if (reason == Reason.MATCHES) {
                for (Taint t : d.device.taints()) {
                    if (("NoSchedule".equals(t.effect()) || "NoExecute".equals(t.effect()))
                            && r.tolerations().stream().noneMatch(tol -> tol.tolerates(t))) {
                        reason = Reason.TAINTED;
                        detail = "taint " + t + " is not tolerated by the request";
                        break;
                    }
                }
            }
            if (reason == Reason.MATCHES && !r.adminAccess() && !holders.get(i).isEmpty()) {
                List<String> by = holders.get(i).stream()
                        .filter(a -> !a.adminAccess() && !a.claim().equals(claim.namespace() + "/" + claim.name()))
                        .map(Allocation::claim).distinct().toList();
                if (!by.isEmpty()) {
                    reason = Reason.ALLOCATED;
                    detail = "allocated to claim" + (by.size() > 1 ? "s " : " ") + String.join(", ", by);
                }
            }
            if (reason == Reason.MATCHES) {
                for (Map.Entry<String, Quantity> want : r.capacity().entrySet()) {
                    Quantity have = d.device.capacityOf(want.getKey());
                    if (have == null || have.compareTo(want.getValue()) < 0) {
                        reason = Reason.CAPACITY_SHORT;
                        detail = d.device.qualify(want.getKey()) + ": wanted " + want.getValue() + ", device has "
                                + (have == null ? "none" : have);
                        break;
                    }
                }
            }
            if (reason.selected()) {
                for (String node : on) {
                    selected.computeIfAbsent(node, k -> new ArrayList<>()).add(i);
                    if (reason == Reason.MATCHES) {
                        available.computeIfAbsent(node, k -> new ArrayList<>()).add(i);
                    }
                }
            }
            if (reason == Reason.MATCHES) {
                for (String node : on) {
                    availableSoFar.merge(node, 1, Integer::sum);
                }
                matching++;
                detail = r.adminAccess() && !holders.get(i).isEmpty() ? "matches (admin access: allocations ignored)" : "";
            }
            out.add(new DeviceVerdict(d.id, d.where, reason, detail));
        }
        spreadAnyNode(available);
        spreadAnyNode(selected);
        List<String> nearMisses = new ArrayList<>();
        List<DeviceVars> population = passedClass.isEmpty() ? devices : passedClass;
        for (SelectorResult.Miss m : misses.keySet()) {
            String line = m.wanted() == null ? NearMiss.forName(m.attribute(), population)
                    : NearMiss.forValue(m.attribute(), m.wanted(), population);
            if (line != null) {
                nearMisses.add(line);
            }
        }

        Judged shape = new Judged(r, name, null, available, selected, Cause.NONE);
        List<String> okNodes = (r.mode() == Request.AllocationMode.ALL ? selected : available).keySet().stream()
                .filter(n -> shape.need(n) >= 0).sorted().toList();
        String summary = summary(r, out, matching, okNodes, selected, available);
        if (!errorOn.isEmpty()) {
            Map.Entry<String, String> first = errorOn.entrySet().iterator().next();
            problems.add("the scheduler stops with a CEL runtime error and binds the pod nowhere: on "
                    + (first.getKey().isEmpty() ? "a node" : "node " + first.getKey()) + " it meets "
                    + first.getValue() + (errorOn.size() > 1 ? " (and on " + (errorOn.size() - 1) + (errorOn.size() == 2 ? " other node)" : " other nodes)") : "")
                    + " before it has found enough devices");
        }
        boolean satisfiable = !okNodes.isEmpty() && problems.isEmpty();
        if (errorOn.isEmpty() && errors > 0) {
            problems.add(errors + (errors == 1 ? " device makes" : " devices make") + " a selector fail at run time,"
                    + " after enough devices are found on their nodes; the scheduler does not reach them");
        }
        if (!problems.isEmpty()) {
            summary = summary + "; " + String.join("; ", problems);
        }
        RequestVerdict v = new RequestVerdict(name, cls.name(), satisfiable, summary, matching, out, nearMisses);
        Cause cause = satisfiable ? Cause.NONE : adminDenied ? Cause.ADMIN_ACCESS : !errorOn.isEmpty() ? Cause.SELECTOR_ERROR
                : Cause.of(out, matching);
        return new Judged(r, name, v, available, selected, cause);
    }

    private static void spreadAnyNode(Map<String, List<Integer>> byNode) {
        List<Integer> any = byNode.remove(ANY_NODE);
        if (any == null) {
            return;
        }
        if (byNode.isEmpty()) {
            byNode.put("(any node)", any);
            return;
        }
        byNode.values().forEach(l -> l.addAll(any));
    }

    private String summary(Request r, List<DeviceVerdict> out, int matching, List<String> okNodes,
            Map<String, List<Integer>> selected, Map<String, List<Integer>> available) {
        Map<Reason, Long> byReason = out.stream().filter(v -> v.reason() != Reason.MATCHES)
                .collect(Collectors.groupingBy(DeviceVerdict::reason, () -> new java.util.EnumMap<>(Reason.class),
                        Collectors.counting()));
        String others = byReason.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().label())
                .collect(Collectors.joining(", "));
        String counts = matching + " of " + out.size() + " devices match" + (others.isEmpty() ? "" : " (" + others + ")");
        if (r.mode() == Request.AllocationMode.ALL) {
            if (!okNodes.isEmpty()) {
                return counts + "; allocationMode All can be met on " + nodes(okNodes);
            }
            if (selected.isEmpty()) {
                return counts + "; allocationMode All needs at least one matching device on a node";
            }
            String node = new TreeMap<>(selected).firstKey();
            return counts + "; allocationMode All needs every matching device of a node to be available: on " + node
                    + " " + available.getOrDefault(node, List.of()).size() + " of " + selected.get(node).size() + " are";
        }
        if (!okNodes.isEmpty()) {
            return counts + "; " + r.count() + " wanted, can be met on " + nodes(okNodes);
        }
        if (matching == 0) {
            return counts + "; " + r.count() + " wanted";
        }
        Map.Entry<String, List<Integer>> best = new TreeMap<>(available).entrySet().stream()
                .max(java.util.Comparator.comparingInt(e -> e.getValue().size())).orElseThrow();
        return counts + "; " + r.count() + " wanted on one node, the most on one node is " + best.getValue().size()
                + " (" + best.getKey() + ")";
    }

    private static String nodes(List<String> names) {
        if (names.size() == 1 && names.get(0).equals("(any node)")) {
            return "any node";
        }
        return String.join(", ", names.subList(0, Math.min(3, names.size())))
                + (names.size() > 3 ? " and " + (names.size() - 3) + " other nodes" : "");
    }

    private Judged unmet(Request r, String name, String why) {
        return new Judged(r, name, new RequestVerdict(name, r.deviceClassName(), false, why, 0, List.of(), List.of()),
                Map.of(), Map.of(), Cause.INVALID_REQUEST);
    }

    private Object compile(String expression) {
        return compiled.computeIfAbsent(expression, e -> {
            try {
                return DraCel.get().compile(e);
            } catch (SelectorException ex) {
                return ex.getMessage();
            }
        });
    }

    // ---- the claim as a whole: one node, distinct devices, matchAttribute constraints ----

    private ClaimReport together(Claim claim, List<RequestVerdict> verdicts, List<List<Judged>> alternatives) {
        List<String> problems = new ArrayList<>();
        List<String> unmet = new ArrayList<>();
        for (int i = 0; i < alternatives.size(); i++) {
            if (alternatives.get(i).stream().noneMatch(j -> j.verdict.satisfiable())) {
                unmet.add(claim.requests().get(i).name());
            }
        }
        if (!unmet.isEmpty()) {
            // a firstAvailable request is judged by its first alternative: the one the user wrote first and wants most
            Cause cause = alternatives.get(claim.requests().stream().map(Request::name).toList().indexOf(unmet.get(0)))
                    .get(0).cause();
            String first = verdicts.stream().filter(v -> v.name().equals(unmet.get(0))).findFirst().map(RequestVerdict::summary)
                    .orElse("");
            String verdict = "cannot be allocated: request" + (unmet.size() > 1 ? "s " : " ") + String.join(", ", unmet)
                    + (unmet.size() > 1 ? " cannot be met" : " cannot be met: " + first);
            return new ClaimReport(claim.ref(), false, verdict, List.of(), verdicts, problems, cause);
        }
        Set<String> candidates = new java.util.TreeSet<>();
        for (List<Judged> alts : alternatives) {
            for (Judged j : alts) {
                candidates.addAll(j.available.keySet());
                candidates.addAll(j.selected.keySet());
            }
        }
        List<String> okNodes = new ArrayList<>();
        Map<String, List<String>> failures = new LinkedHashMap<>();
        for (String node : candidates) {
            String why = fits(claim, node, alternatives);
            if (why == null) {
                okNodes.add(node);
            } else {
                failures.computeIfAbsent(why, k -> new ArrayList<>()).add(node);
            }
        }
        if (okNodes.isEmpty()) {
            failures.forEach((why, nodes) -> problems.add(nodes(nodes) + ": " + why));
            String verdict = "cannot be allocated: every request can be met alone, but not together on one node"
                    + (failures.isEmpty() ? "" : " (" + failures.keySet().iterator().next() + ")");
            return new ClaimReport(claim.ref(), false, verdict, List.of(), verdicts, problems, Cause.CONSTRAINT);
        }
        return new ClaimReport(claim.ref(), true, "can be allocated on " + nodes(okNodes),
                okNodes.subList(0, Math.min(10, okNodes.size())), verdicts, problems, Cause.NONE);
    }

    /** Null when the claim fits on {@code node}, else why not. */
    private String fits(Claim claim, String node, List<List<Judged>> alternatives) {
        List<List<Judged>> usable = new ArrayList<>();
        for (int i = 0; i < alternatives.size(); i++) {
            List<Judged> ok = alternatives.get(i).stream().filter(j -> j.need(node) >= 0).toList();
            if (ok.isEmpty()) {
                return "request " + claim.requests().get(i).name() + " cannot be met on this node";
            }
            usable.add(ok);
        }
        String last = null;
        int[] pick = new int[usable.size()];
        for (int tried = 0; tried < MAX_COMBINATIONS; tried++) {
            List<Judged> chosen = new ArrayList<>();
            for (int i = 0; i < pick.length; i++) {
                chosen.add(usable.get(i).get(pick[i]));
            }
            String why = fitsWith(claim, node, chosen);
            if (why == null) {
                return null;
            }
            if (last == null) {
                last = why;
            }
            int k = pick.length - 1;
            while (k >= 0 && ++pick[k] == usable.get(k).size()) {
                pick[k] = 0;
                k--;
            }
            if (k < 0) {
                break;
            }
        }
        return last;
    }

    private String fitsWith(Claim claim, String node, List<Judged> chosen) {
        List<List<Integer>> pools = new ArrayList<>();
        int[] needs = new int[chosen.size()];
        for (int i = 0; i < chosen.size(); i++) {
            Judged j = chosen.get(i);
            needs[i] = j.need(node);
            pools.add(j.available.getOrDefault(node, List.of()));
        }
        // Each constraint: the values its requests' devices could share.
        List<Constraint> constraints = claim.constraints();
        List<List<Object>> values = new ArrayList<>();
        for (Constraint c : constraints) {
            Set<Object> common = null;
            StringBuilder seen = new StringBuilder();
            for (int i = 0; i < chosen.size(); i++) {
                if (!involved(c, chosen.get(i).name)) {
                    continue;
                }
                Set<Object> have = new LinkedHashSet<>();
                for (int d : pools.get(i)) {
                    Object v = attribute(devices.get(d), c.matchAttribute());
                    if (v != null) {
                        have.add(v);
                    }
                }
                if (chosen.get(i).request.mode() == Request.AllocationMode.ALL && have.size() > 1) {
                    have = Set.of();
                }
                seen.append(seen.length() == 0 ? "" : ", ").append(chosen.get(i).name).append(" has ")
                        .append(have.isEmpty() ? "none" : have.stream().map(ExprText::value).collect(Collectors.joining(" / ")));
                common = common == null ? have : retain(common, have);
            }
            if (common != null && common.isEmpty()) {
                return "matchAttribute " + c.matchAttribute() + ": no value shared by the requests (" + seen + ")";
            }
            values.add(common == null ? java.util.Collections.singletonList(null) : new ArrayList<>(common));
        }
        int[] pick = new int[values.size()];
        for (int tried = 0; tried < MAX_COMBINATIONS; tried++) {
            List<List<Integer>> restricted = new ArrayList<>();
            for (int i = 0; i < chosen.size(); i++) {
                List<Integer> pool = new ArrayList<>();
                for (int d : pools.get(i)) {
                    boolean ok = true;
                    for (int c = 0; c < constraints.size() && ok; c++) {
                        Object want = values.get(c).get(pick[c]);
                        if (want != null && involved(constraints.get(c), chosen.get(i).name)) {
                            ok = want.equals(attribute(devices.get(d), constraints.get(c).matchAttribute()));
                        }
                    }
                    if (ok) {
                        pool.add(d);
                    }
                }
                restricted.add(pool);
            }
            if (distinctFit(restricted, needs)) {
                return null;
            }
            int k = pick.length - 1;
            while (k >= 0 && ++pick[k] == values.get(k).size()) {
                pick[k] = 0;
                k--;
            }
            if (k < 0) {
                break;
            }
        }
        int total = 0;
        for (int n : needs) {
            total += n;
        }
        return "the requests together need " + total + " distinct devices"
                + (constraints.isEmpty() ? "" : " with equal " + constraints.stream().map(Constraint::matchAttribute)
                .collect(Collectors.joining(", "))) + ", which this node does not have";
    }

    private static Set<Object> retain(Set<Object> a, Set<Object> b) {
        Set<Object> r = new LinkedHashSet<>(a);
        r.retainAll(b);
        return r;
    }

    private static boolean involved(Constraint c, String name) {
        if (c.requests().isEmpty()) {
            return true;
        }
        String parent = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
        return c.requests().contains(name) || c.requests().contains(parent);
    }

    private static Object attribute(DeviceVars d, String qualified) {
        int slash = qualified.indexOf('/');
        if (slash < 0) {
            return d.lookup(false, d.device.driver(), qualified);
        }
        Map<String, Object> inner = d.attributes.get(qualified.substring(0, slash));
        return inner == null ? null : inner.get(qualified.substring(slash + 1));
    }

    /** Whether each request i gets needs[i] distinct devices from its pool (bipartite matching). */
    private static boolean distinctFit(List<List<Integer>> pools, int[] needs) {
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < needs.length; i++) {
            if (pools.get(i).size() < needs[i]) {
                return false;
            }
            for (int k = 0; k < needs[i]; k++) {
                slots.add(i);
            }
        }
        Map<Integer, Integer> owner = new HashMap<>();
        for (int s = 0; s < slots.size(); s++) {
            if (!augment(s, slots, pools, owner, new java.util.HashSet<>())) {
                return false;
            }
        }
        return true;
    }

    private static boolean augment(int slot, List<Integer> slots, List<List<Integer>> pools, Map<Integer, Integer> owner,
            Set<Integer> visited) {
        for (int d : pools.get(slots.get(slot))) {
            if (!visited.add(d)) {
                continue;
            }
            Integer other = owner.get(d);
            if (other == null || augment(other, slots, pools, owner, visited)) {
                owner.put(d, slot);
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "ClaimDoctor[" + devices.size() + " devices, " + classes.size() + " classes, nodes "
                + (nodeNames == null ? "unknown" : nodeNames.size()) + "]";
    }
}
