package io.alauda.dra.doctor;

import java.util.List;

/** A claim's matchAttribute constraint: the devices of these requests (all when empty) share the attribute's value. */
public record Constraint(List<String> requests, String matchAttribute) {
}
