package io.alauda.dra.doctor;

/** One device's verdict for one request: the first reason and its concrete detail (values side by side). */
public record DeviceVerdict(String device, String where, Reason reason, String detail) {
}
