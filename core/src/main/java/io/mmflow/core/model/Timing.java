package io.mmflow.core.model;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/**
 * When the input happened and when its processing ran.
 *
 * @param eventTime the input's event time
 * @param startedAt when this task started on the input
 * @param finishedAt when it finished
 * @param latencyMs {@code finishedAt - startedAt} in milliseconds
 */
public record Timing(Instant eventTime, Instant startedAt, Instant finishedAt, long latencyMs) {
  public Timing {
    requireNonNull(eventTime, "eventTime is null");
    requireNonNull(startedAt, "startedAt is null");
    requireNonNull(finishedAt, "finishedAt is null");
  }

  public static Timing of(Instant eventTime, Instant startedAt, Instant finishedAt) {
    return new Timing(
        eventTime, startedAt, finishedAt, Duration.between(startedAt, finishedAt).toMillis());
  }
}
