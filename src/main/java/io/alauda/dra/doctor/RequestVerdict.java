package io.alauda.dra.doctor;

import java.util.List;

/**
 * One request's (or subrequest's, named {@code request/sub}) verdict.
 *
 * @param satisfiable whether the request alone can be met on some node
 * @param summary     one sentence: how many devices match, what is wanted, what stops it
 * @param matching    devices that match and are available
 * @param nearMisses  "did you mean" lines for selectors comparing an attribute with a value no device publishes
 */
public record RequestVerdict(String name, String deviceClass, boolean satisfiable, String summary, int matching,
        List<DeviceVerdict> devices, List<String> nearMisses) {
}
