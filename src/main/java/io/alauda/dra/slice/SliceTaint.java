package io.alauda.dra.slice;

/**
 * A DeviceTaint as this driver writes it: key, value and effect. {@code timeAdded} is the API server's to set, and is
 * not compared (see {@link CanonicalSpec}).
 */
public record SliceTaint(String key, String value, String effect) {
}
