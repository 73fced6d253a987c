package io.mmflow.connectors.source.s3;

import io.mmflow.connectors.source.GlobMatcher;
import io.mmflow.core.config.SourceOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.MediaItem;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A bounded Flink source of {@link MediaItem}s, one per object under {@code s3://bucket/prefix},
 * through the AWS SDK v2: the enumerator lists the objects, each object is a split, readers take
 * the next object when done with one, so parallelism scales with the number of objects.
 */
public final class S3MediaSource
    implements Source<MediaItem, S3ObjectSplit, S3EnumeratorState>, ResultTypeQueryable<MediaItem> {
  private final S3ClientSettings client;
  private final String bucket;
  private final String prefix;
  private final GlobMatcher globs;
  private final long maxBytes;

  public S3MediaSource(
      S3ClientSettings client, String bucket, String prefix, GlobMatcher globs, long maxBytes) {
    this.client = client;
    this.bucket = bucket;
    this.prefix = prefix;
    this.globs = globs;
    this.maxBytes = maxBytes;
  }

  /** The source for {@code s3://bucket/prefix} with the configured globs and size limit. */
  public static S3MediaSource fromConfig(String location, Configuration config) {
    String rest = location.substring("s3://".length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1);
    if (bucket.isBlank()) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "no bucket in " + location + "; expected s3://bucket/prefix");
    }
    return new S3MediaSource(
        S3ClientSettings.from(config),
        bucket,
        prefix,
        new GlobMatcher(config.get(SourceOptions.INCLUDE), config.get(SourceOptions.EXCLUDE)),
        config.get(SourceOptions.MAX_BYTES).getBytes());
  }

  /**
   * Sources of exactly the objects {@code uris} ({@code s3://bucket/key}), one per bucket, each
   * listing only under its keys' common folder: what a backfill re-reads, read as the documents job
   * reads them (the same item ids and event times).
   */
  public static java.util.List<S3MediaSource> ofObjects(
      java.util.List<String> uris, Configuration config) {
    java.util.Map<String, java.util.List<String>> keysByBucket = new java.util.TreeMap<>();
    for (String uri : uris) {
      String rest = uri.substring("s3://".length());
      int slash = rest.indexOf('/');
      if (slash <= 0 || slash == rest.length() - 1) {
        throw new MmflowException(
            ErrorCode.CONFIGURATION_INVALID, "not an object URI: " + uri + " (s3://bucket/key)");
      }
      keysByBucket
          .computeIfAbsent(rest.substring(0, slash), b -> new java.util.ArrayList<>())
          .add(rest.substring(slash + 1));
    }
    java.util.List<S3MediaSource> out = new java.util.ArrayList<>();
    keysByBucket.forEach(
        (bucket, keys) -> {
          String common = keys.get(0);
          for (String k : keys) {
            int i = 0;
            while (i < common.length() && i < k.length() && common.charAt(i) == k.charAt(i)) {
              i++;
            }
            common = common.substring(0, i);
          }
          String prefix = common.substring(0, common.lastIndexOf('/') + 1);
          java.util.List<String> relatives = new java.util.ArrayList<>();
          for (String k : keys) {
            relatives.add(k.substring(prefix.length()));
          }
          out.add(
              new S3MediaSource(
                  S3ClientSettings.from(config),
                  bucket,
                  prefix,
                  GlobMatcher.exactly(relatives),
                  config.get(SourceOptions.MAX_BYTES).getBytes()));
        });
    return out;
  }

  /** The bucket this source lists. */
  public String bucket() {
    return bucket;
  }

  /**
   * Checks that the bucket can be reached with the default credentials, so that a wrong endpoint,
   * bucket or credential fails before the job starts, in one line.
   */
  public void checkReachable() {
    try (var s3 = client.newClient()) {
      s3.headBucket(b -> b.bucket(bucket));
    } catch (RuntimeException e) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "cannot reach s3://"
              + bucket
              + (client.endpoint() == null ? "" : " at " + client.endpoint())
              + ": "
              + e.getMessage()
              + " (check mmflow.s3.endpoint, mmflow.s3.path-style-access and the AWS credentials)");
    }
  }

  @Override
  public Boundedness getBoundedness() {
    return Boundedness.BOUNDED;
  }

  @Override
  public SourceReader<MediaItem, S3ObjectSplit> createReader(SourceReaderContext context) {
    return new Reader(client, maxBytes, context);
  }

  @Override
  public SplitEnumerator<S3ObjectSplit, S3EnumeratorState> createEnumerator(
      SplitEnumeratorContext<S3ObjectSplit> context) {
    return new S3ObjectEnumerator(context, client, bucket, prefix, globs, null);
  }

  @Override
  public SplitEnumerator<S3ObjectSplit, S3EnumeratorState> restoreEnumerator(
      SplitEnumeratorContext<S3ObjectSplit> context, S3EnumeratorState state) {
    return new S3ObjectEnumerator(context, client, bucket, prefix, globs, state);
  }

  @Override
  public SimpleVersionedSerializer<S3ObjectSplit> getSplitSerializer() {
    return new S3SplitSerializers.Split();
  }

  @Override
  public SimpleVersionedSerializer<S3EnumeratorState> getEnumeratorCheckpointSerializer() {
    return new S3SplitSerializers.State();
  }

  @Override
  public TypeInformation<MediaItem> getProducedType() {
    return TypeInformation.of(MediaItem.class);
  }

  /** Asks for the next object whenever it finishes one. */
  private static final class Reader
      extends SingleThreadMultiplexSourceReaderBase<
          MediaItem, MediaItem, S3ObjectSplit, S3ObjectSplit> {
    Reader(S3ClientSettings client, long maxBytes, SourceReaderContext context) {
      super(
          () -> new S3ObjectSplitReader(client, maxBytes),
          (item, output, split) -> output.collect(item),
          new Configuration(),
          context);
    }

    @Override
    public void start() {
      context.sendSplitRequest();
    }

    @Override
    protected void onSplitFinished(Map<String, S3ObjectSplit> finished) {
      context.sendSplitRequest();
    }

    @Override
    protected S3ObjectSplit initializedState(S3ObjectSplit split) {
      return split;
    }

    @Override
    protected S3ObjectSplit toSplitType(String splitId, S3ObjectSplit state) {
      return state;
    }
  }
}
