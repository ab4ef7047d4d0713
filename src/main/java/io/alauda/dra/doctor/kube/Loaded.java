package io.alauda.dra.doctor.kube;

import io.alauda.dra.doctor.Claim;
import io.alauda.dra.doctor.Inventory;

import java.util.List;

/** A claim and what it is judged against, with notes on what was assumed or could not be read. */
public record Loaded(Claim claim, Inventory inventory, List<String> notes) {
}
