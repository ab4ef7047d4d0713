package io.alauda.dra.plugin.prepare;

import java.util.Objects;

/**
 * One entry of {@code status.allocation.devices.results}.
 *
 * @param request     the claim request it satisfies, possibly {@code request/subrequest}
 * @param adminAccess whether the device was allocated with admin access (which may overlap other claims)
 */
public record DeviceResult(String request, String driver, String pool, String device, boolean adminAccess) {

    public DeviceResult {
        request = Objects.requireNonNullElse(request, "");
        driver = Objects.requireNonNullElse(driver, "");
        pool = Objects.requireNonNullElse(pool, "");
        device = Objects.requireNonNullElse(device, "");
    }

    /** The request name kubelet matches against containers: a sub-request suffix ({@code req/sub}) stripped. */
    public String mainRequest() {
        int slash = request.indexOf('/');
        return slash < 0 ? request : request.substring(0, slash);
    }
}
