package io.alauda.dra.slice;

import java.time.Duration;

/**
 * One failed sync.
 *
 * @param error               what went wrong; usually a {@link SlicePublishException} whose message names the step
 * @param consecutiveFailures failures since the last success, from 1
 * @param retryIn             when the next attempt starts
 */
public record PublishFailure(Throwable error, int consecutiveFailures, Duration retryIn) {
}
