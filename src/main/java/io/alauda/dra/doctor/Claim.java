package io.alauda.dra.doctor;

import java.util.List;

/** What a ResourceClaim (or a template's spec) asks for. {@code name} is null for a template's claims. */
public record Claim(String namespace, String name, List<Request> requests, List<Constraint> constraints) {

    public Claim {
        requests = List.copyOf(requests);
        constraints = List.copyOf(constraints);
    }

    public String ref() {
        return (namespace == null ? "" : namespace + "/") + (name == null ? "(from template)" : name);
    }
}
