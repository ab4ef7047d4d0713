package io.alauda.dra.plugin.prepare;

import io.alauda.dra.api.v1alpha1.FeatureGates;

import java.util.Map;

/**
 * Which sharing strategies the NvidiaDraDriver's feature gates allow on this node, as upstream gates them:
 * TimeSlicing needs {@code TimeSlicingSettings}, MPS needs {@code MPSSupport}.
 */
public record SharingGates(boolean timeSlicing, boolean mps) {

    public static final String TIME_SLICING_GATE = "TimeSlicingSettings";
    public static final String MPS_GATE = "MPSSupport";
    public static final SharingGates NONE = new SharingGates(false, false);

    /** @param gates FEATURE_GATES as {@link FeatureGates#parse} reads it */
    public static SharingGates from(Map<String, Boolean> gates) {
        return new SharingGates(FeatureGates.on(gates, TIME_SLICING_GATE), FeatureGates.on(gates, MPS_GATE));
    }

    boolean allows(String strategy) {
        return OpaqueDeviceConfig.Sharing.TIME_SLICING.equals(strategy) ? timeSlicing : mps;
    }

    static String gateFor(String strategy) {
        return OpaqueDeviceConfig.Sharing.TIME_SLICING.equals(strategy) ? TIME_SLICING_GATE : MPS_GATE;
    }
}
