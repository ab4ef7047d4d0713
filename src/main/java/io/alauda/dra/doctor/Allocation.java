package io.alauda.dra.doctor;

/** A device some claim holds (its status.allocation.devices.results), by claim {@code namespace/name}. */
public record Allocation(String claim, String driver, String pool, String device, boolean adminAccess) {

    public String deviceId() {
        return driver + "/" + pool + "/" + device;
    }
}
