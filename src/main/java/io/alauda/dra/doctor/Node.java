package io.alauda.dra.doctor;

import java.util.Map;

/** A cluster node as far as device eligibility goes: its name and labels. */
public record Node(String name, Map<String, String> labels) {
}
