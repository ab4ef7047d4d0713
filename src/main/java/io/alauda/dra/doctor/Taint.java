package io.alauda.dra.doctor;

/** A device taint (resource.k8s.io DeviceTaint): key, optional value, effect NoSchedule or NoExecute. */
public record Taint(String key, String value, String effect) {

    @Override
    public String toString() {
        return key + (value == null || value.isEmpty() ? "" : "=" + value) + ":" + effect;
    }
}
