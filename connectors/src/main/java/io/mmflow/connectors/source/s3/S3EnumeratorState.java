package io.mmflow.connectors.source.s3;

import java.util.List;

/**
 * What the enumerator checkpoints: objects listed but not yet assigned, and whether the listing is
 * complete (a restored enumerator that had not finished listing lists again).
 */
public record S3EnumeratorState(List<S3ObjectSplit> remaining, boolean listed) {
  public S3EnumeratorState {
    remaining = List.copyOf(remaining);
  }
}
