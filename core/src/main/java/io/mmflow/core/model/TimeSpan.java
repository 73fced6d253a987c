package io.mmflow.core.model;

import static io.mmflow.core.util.Checks.checkArgument;

/** A span of audio in milliseconds from the start of the clip. */
public record TimeSpan(long startMs, long endMs) {
  public TimeSpan {
    checkArgument(startMs >= 0 && endMs >= startMs, "bad time span [%s, %s] ms", startMs, endMs);
  }
}
