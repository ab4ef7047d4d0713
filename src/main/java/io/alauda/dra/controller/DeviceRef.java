package io.alauda.dra.controller;

/** A device as an allocation result names it: pool and device name (the driver is implied: ours). */
public record DeviceRef(String pool, String device) {
}
