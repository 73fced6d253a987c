package io.mmflow.connectors.source.file;

import io.mmflow.core.config.SourceOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.MediaItem;
import java.io.IOException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.core.fs.Path;

/** A bounded Flink source of {@link MediaItem}s, one per file under a folder (recursively). */
public final class FileMediaSource {
  private FileMediaSource() {}

  /**
   * The source for the configured {@link SourceOptions#PATH}, include/exclude globs and size limit.
   *
   * @throws MmflowException {@link ErrorCode#CONFIGURATION_INVALID} when the path is unset or does
   *     not exist
   */
  public static FileSource<MediaItem> fromConfig(Configuration config) {
    String location = config.get(SourceOptions.PATH);
    if (location == null || location.isBlank()) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "no input given: pass --input DIR or set " + SourceOptions.PATH.key());
    }
    Path root = toPath(location);
    try {
      if (!root.getFileSystem().exists(root)) {
        throw new MmflowException(ErrorCode.CONFIGURATION_INVALID, "input not found: " + location);
      }
    } catch (IOException e) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID, "cannot open input " + location + ": " + e.getMessage());
    }
    GlobFileFilter filter =
        new GlobFileFilter(
            root, config.get(SourceOptions.INCLUDE), config.get(SourceOptions.EXCLUDE));
    FileSource.FileSourceBuilder<MediaItem> builder =
        FileSource.forBulkFileFormat(
                new WholeFileFormat(config.get(SourceOptions.MAX_BYTES).getBytes()), root)
            .setFileEnumerator(() -> new NonSplittingRecursiveEnumerator(filter));
    // watching: the enumerator's checkpointed state remembers the files already handed out
    config.getOptional(SourceOptions.MONITOR_INTERVAL).ifPresent(builder::monitorContinuously);
    return builder.build();
  }

  /**
   * A bounded source of exactly the files {@code uris} (what a backfill re-reads), with the
   * configured size limit; each file read whole, as {@link #fromConfig} reads the files of a
   * folder, so its items have the ids and event times they had.
   */
  public static FileSource<MediaItem> ofFiles(java.util.List<String> uris, Configuration config) {
    if (uris.isEmpty()) {
      throw new MmflowException(ErrorCode.CONFIGURATION_INVALID, "no files to read");
    }
    Path[] paths = new Path[uris.size()];
    for (int i = 0; i < paths.length; i++) {
      paths[i] = toPath(uris.get(i));
    }
    return FileSource.forBulkFileFormat(
            new WholeFileFormat(config.get(SourceOptions.MAX_BYTES).getBytes()), paths)
        .setFileEnumerator(NonSplittingRecursiveEnumerator::new)
        .build();
  }

  /** A local path or URI as a Flink path; bare paths are made absolute. */
  public static Path toPath(String location) {
    if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") || location.startsWith("file:")) {
      return new Path(location);
    }
    return Path.fromLocalFile(new java.io.File(location).getAbsoluteFile());
  }
}
