package io.alauda.dra.delivery;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether one set of RBAC rules allows everything another allows: Kubernetes' escalation check, which lets a
 * subject create or update a Role or ClusterRole (or bind one) only when it holds every permission in it.
 * Wildcards ({@code *}) in the held rules are honoured; a held rule with resourceNames covers only those names.
 */
public final class RbacRules {

    private RbacRules() {
    }

    /** Every (group, resource, verb[, name]) of {@code wanted} that no rule of {@code held} allows; empty when covered. */
    public static List<String> missing(List<PolicyRule> held, List<PolicyRule> wanted) {
        List<String> missing = new ArrayList<>();
        for (PolicyRule rule : wanted) {
            if (!rule.getNonResourceURLs().isEmpty()) {
                missing.add("non-resource URLs " + rule.getNonResourceURLs() + " (a ClusterRole the operator grants must not need them)");
                continue;
            }
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        List<String> names = rule.getResourceNames().isEmpty() ? java.util.Collections.singletonList(null) : rule.getResourceNames();
                        for (String name : names) {
                            if (held.stream().noneMatch(h -> allows(h, group, resource, verb, name))) {
                                missing.add(describe(group, resource, verb, name));
                            }
                        }
                    }
                }
            }
        }
        return missing;
    }

    /** Whether {@code held} allows {@code verb} on {@code group/resource} (and on the object {@code name}, if not null). */
    public static boolean allows(List<PolicyRule> held, String group, String resource, String verb, String name) {
        return held.stream().anyMatch(h -> allows(h, group, resource, verb, name));
    }

    private static boolean allows(PolicyRule held, String group, String resource, String verb, String name) {
        if (!matches(held.getApiGroups(), group) || !matches(held.getResources(), resource) || !matches(held.getVerbs(), verb)) {
            return false;
        }
        List<String> names = held.getResourceNames();
        return names.isEmpty() || (name != null && names.contains(name));
    }

    private static boolean matches(List<String> allowed, String value) {
        return allowed.contains("*") || allowed.contains(value);
    }

    private static String describe(String group, String resource, String verb, String name) {
        return verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource + (name == null ? "" : " named " + name);
    }
}
