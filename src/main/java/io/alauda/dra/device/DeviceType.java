package io.alauda.dra.device;

/** The kinds of device this driver publishes; {@link #value()} is the {@code type} attribute users select on. */
public enum DeviceType {
    GPU("gpu"),
    MIG("mig");

    private final String value;

    DeviceType(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }
}
