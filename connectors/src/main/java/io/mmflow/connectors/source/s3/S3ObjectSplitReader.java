package io.mmflow.connectors.source.s3;

import io.mmflow.core.error.SecretScrubber;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.util.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * Reads one object per fetch, on the source's fetcher thread: the object's bytes, streamed and cut
 * off past the size limit (an object over the limit is not downloaded at all). An object that
 * cannot be read becomes an item without bytes carrying the reason, which validation turns into a
 * dead letter MMF-2001: the job goes on and nothing is lost silently.
 */
final class S3ObjectSplitReader implements SplitReader<MediaItem, S3ObjectSplit> {
  private final S3Client s3;
  private final long maxBytes;
  private final Deque<S3ObjectSplit> splits = new ArrayDeque<>();

  S3ObjectSplitReader(S3ClientSettings settings, long maxBytes) {
    this.s3 = settings.newClient();
    this.maxBytes = maxBytes;
  }

  @Override
  public RecordsWithSplitIds<MediaItem> fetch() {
    RecordsBySplits.Builder<MediaItem> out = new RecordsBySplits.Builder<>();
    S3ObjectSplit split = splits.poll();
    if (split != null) {
      out.add(split, read(split));
      out.addFinishedSplit(split.splitId());
    }
    return out.build();
  }

  MediaItem read(S3ObjectSplit split) {
    Map<String, String> attributes = new HashMap<>();
    attributes.put("file.name", split.key().substring(split.key().lastIndexOf('/') + 1));
    if (split.etag() != null) {
      attributes.put("s3.etag", split.etag());
    }
    byte[] content = null;
    String sha = null;
    long size = split.size();
    if (size <= maxBytes) {
      try (InputStream in =
          s3.getObject(
              GetObjectRequest.builder().bucket(split.bucket()).key(split.key()).build())) {
        content = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
        size = content.length;
        if (content.length > maxBytes) {
          content = null; // grew past the limit since it was listed
        } else {
          sha = Hashing.sha256Hex(content);
        }
      } catch (IOException | SdkException e) {
        attributes.put(
            MediaItem.READ_ERROR_ATTRIBUTE, SecretScrubber.scrub(String.valueOf(e.getMessage())));
      }
    }
    return new MediaItem(
        Hashing.stableId(split.uri()),
        "0",
        null,
        Instant.ofEpochMilli(split.lastModifiedMillis()),
        split.uri(),
        null,
        size,
        sha,
        content,
        null,
        attributes);
  }

  @Override
  public void handleSplitsChanges(SplitsChange<S3ObjectSplit> change) {
    if (change instanceof SplitsAddition<S3ObjectSplit> addition) {
      splits.addAll(addition.splits());
    }
  }

  @Override
  public void wakeUp() {}

  @Override
  public void close() {
    s3.close();
  }
}
