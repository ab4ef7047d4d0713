package io.alauda.dra.controller;

/**
 * One device a ResourceSlice publishes, cut down to what the allocation gauges need.
 *
 * @param name        device name, unique within its pool
 * @param type        the {@code type} attribute: gpu, mig (vfio upstream), or "unknown"
 * @param product     the {@code productName} attribute, or "unknown"
 * @param memoryBytes the {@code memory} capacity in bytes, 0 when not published
 */
public record PublishedDevice(String name, String type, String product, long memoryBytes) {
}
