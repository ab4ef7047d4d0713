package io.alauda.dra.doctor;

import java.util.List;

/** A DeviceClass as far as selection goes: its name and its CEL selectors. */
public record DeviceClass(String name, List<String> selectors) {
}
