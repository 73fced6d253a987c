package io.mmflow.connectors.source;

import io.mmflow.connectors.source.file.FileMediaSource;
import io.mmflow.connectors.source.s3.S3MediaSource;
import io.mmflow.core.config.SourceOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.MediaItem;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;

/** The bounded source of {@link SourceOptions#PATH}: S3 for {@code s3://}, else files. */
public final class MediaSources {
  private MediaSources() {}

  public static Source<MediaItem, ?, ?> fromConfig(Configuration config) {
    String location = config.get(SourceOptions.PATH);
    if (location != null && location.startsWith("s3://")) {
      if (config.getOptional(SourceOptions.MONITOR_INTERVAL).isPresent()) {
        throw new MmflowException(
            ErrorCode.CONFIGURATION_INVALID,
            SourceOptions.MONITOR_INTERVAL.key()
                + " watches file inputs; an s3:// prefix is listed once (run again for new"
                + " objects)");
      }
      return S3MediaSource.fromConfig(location, config);
    }
    return FileMediaSource.fromConfig(config);
  }

  /** Checks, before a job starts, that the input is there. */
  public static void check(Configuration config) {
    Source<MediaItem, ?, ?> source = fromConfig(config);
    if (source instanceof S3MediaSource s3) {
      s3.checkReachable();
    }
  }
}
