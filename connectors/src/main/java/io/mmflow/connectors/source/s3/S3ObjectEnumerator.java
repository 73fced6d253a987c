package io.mmflow.connectors.source.s3;

import io.mmflow.connectors.source.GlobMatcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.util.FlinkRuntimeException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Lists the objects under the prefix (paginated, off the coordinator thread) and hands them to
 * readers one per request, so a free reader always takes the next object.
 *
 * <p>A restored enumerator that had not finished listing lists again from the start: objects
 * already handed out may then be read twice, which the idempotent sinks absorb.
 */
final class S3ObjectEnumerator implements SplitEnumerator<S3ObjectSplit, S3EnumeratorState> {
  private final SplitEnumeratorContext<S3ObjectSplit> context;
  private final S3ClientSettings clientSettings;
  private final String bucket;
  private final String prefix;
  private final GlobMatcher globs;
  private final Deque<S3ObjectSplit> remaining;
  private final Set<Integer> waiting = new LinkedHashSet<>();
  private boolean listed;

  S3ObjectEnumerator(
      SplitEnumeratorContext<S3ObjectSplit> context,
      S3ClientSettings clientSettings,
      String bucket,
      String prefix,
      GlobMatcher globs,
      S3EnumeratorState restored) {
    this.context = context;
    this.clientSettings = clientSettings;
    this.bucket = bucket;
    this.prefix = prefix;
    this.globs = globs;
    this.remaining = new ArrayDeque<>(restored == null ? List.of() : restored.remaining());
    this.listed = restored != null && restored.listed();
  }

  @Override
  public void start() {
    if (!listed) {
      context.callAsync(this::listAll, this::listingDone);
    }
  }

  private List<S3ObjectSplit> listAll() {
    List<S3ObjectSplit> splits = new ArrayList<>();
    try (S3Client s3 = clientSettings.newClient()) {
      ListObjectsV2Request request =
          ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build();
      for (S3Object o : s3.listObjectsV2Paginator(request).contents()) {
        if (o.key().endsWith("/")) {
          continue; // a "folder" marker
        }
        String relative = o.key().substring(prefix.length());
        if (relative.startsWith("/")) {
          relative = relative.substring(1);
        }
        if (globs.selected(relative)) {
          splits.add(
              new S3ObjectSplit(
                  bucket,
                  o.key(),
                  o.size(),
                  o.lastModified() == null ? 0 : o.lastModified().toEpochMilli(),
                  o.eTag()));
        }
      }
    }
    return splits;
  }

  private void listingDone(List<S3ObjectSplit> splits, Throwable error) {
    if (error != null) {
      throw new FlinkRuntimeException(
          "cannot list s3://" + bucket + "/" + prefix + ": " + error.getMessage(), error);
    }
    remaining.addAll(splits);
    listed = true;
    for (Integer subtask : List.copyOf(waiting)) {
      waiting.remove(subtask);
      assign(subtask);
    }
  }

  @Override
  public void handleSplitRequest(int subtaskId, String requesterHostname) {
    if (!listed) {
      waiting.add(subtaskId);
      return;
    }
    assign(subtaskId);
  }

  private void assign(int subtaskId) {
    S3ObjectSplit next = remaining.poll();
    if (next != null) {
      context.assignSplit(next, subtaskId);
    } else {
      context.signalNoMoreSplits(subtaskId);
    }
  }

  @Override
  public void addSplitsBack(List<S3ObjectSplit> splits, int subtaskId) {
    splits.forEach(remaining::addFirst);
  }

  @Override
  public void addReader(int subtaskId) {
    // readers ask for work themselves
  }

  @Override
  public S3EnumeratorState snapshotState(long checkpointId) {
    return new S3EnumeratorState(new ArrayList<>(remaining), listed);
  }

  @Override
  public void close() {}
}
