package io.alauda.dra.doctor;

import java.util.List;

/**
 * The doctor's answer for one claim.
 *
 * @param satisfiable whether some node can take every request with the constraints
 * @param verdict     one sentence
 * @param nodes       nodes where the whole claim can be allocated (at most a few named)
 * @param problems    claim-level problems: constraints, requests that compete for the same devices
 * @param cause       the one word for why not ({@link Cause#NONE} when satisfiable)
 */
public record ClaimReport(String claim, boolean satisfiable, String verdict, List<String> nodes,
        List<RequestVerdict> requests, List<String> problems, Cause cause) {
}
