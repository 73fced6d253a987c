package io.mmflow.operators.infer.remote.resilience;

import io.mmflow.core.error.ErrorCode;
import java.io.Serializable;
import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Retry timing for remote calls: exponential backoff with "full jitter" (the delay before retry
 * {@code n} is uniform in [0, min(max, initial × multiplier^(n-1))], as described in AWS's
 * architecture blog "Exponential Backoff And Jitter", 2015), never shorter than the provider's
 * {@code Retry-After}, and only for error codes marked retryable.
 *
 * @param initial the backoff ceiling of the first retry
 * @param max the largest backoff ceiling (Retry-After may ask for longer, up to {@code
 *     maxRetryAfter})
 * @param multiplier growth of the ceiling per retry (>= 1)
 * @param maxAttempts calls in all, the first included (1 = no retries)
 * @param maxRetryAfter the longest Retry-After honoured; a provider asking for more gets an error
 *     result instead of a stalled operator
 */
public record Backoff(
    Duration initial, Duration max, double multiplier, int maxAttempts, Duration maxRetryAfter)
    implements Serializable {
  public Backoff {
    if (initial.isNegative() || max.compareTo(initial) < 0 || multiplier < 1 || maxAttempts < 1) {
      throw new IllegalArgumentException(
          "backoff needs 0 <= initial <= max, multiplier >= 1, attempts >= 1: " + this);
    }
  }

  /** 4 attempts, 100 ms doubling to at most 5 s, Retry-After honoured up to 60 s. */
  public static Backoff defaults() {
    return new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), 2, 4, Duration.ofSeconds(60));
  }

  /**
   * Whether a call that failed with {@code code} on attempt {@code attempt} (1-based) is tried
   * again.
   */
  public boolean retries(ErrorCode code, int attempt, Optional<Duration> retryAfter) {
    return code.retryable()
        && attempt < maxAttempts
        && retryAfter.map(r -> r.compareTo(maxRetryAfter) <= 0).orElse(true);
  }

  /**
   * The wait before attempt {@code attempt + 1}, after attempt {@code attempt} failed.
   *
   * @param random uniform in [0, 1)
   */
  public Duration delay(int attempt, Optional<Duration> retryAfter, DoubleSupplier random) {
    double ceiling =
        Math.min(max.toNanos(), initial.toNanos() * Math.pow(multiplier, attempt - 1.0));
    Duration jittered = Duration.ofNanos((long) (random.getAsDouble() * ceiling));
    return retryAfter.filter(r -> r.compareTo(jittered) > 0).orElse(jittered);
  }
}
