package io.alauda.dra.controller;

/** The key of the device gauges: one node, one GPU product, one device type. */
public record DeviceGroup(String node, String product, String deviceType) {
}
