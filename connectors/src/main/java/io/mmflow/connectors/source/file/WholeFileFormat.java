package io.mmflow.connectors.source.file;

import io.mmflow.core.model.MediaItem;
import io.mmflow.core.util.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.SingletonResultIterator;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Reads each file as one {@link MediaItem}: the whole file is one split and one record, so the
 * FileSource hands files out to readers one by one and parallelism scales with the number of files.
 * A file over the size limit is not read: its item carries the size and no bytes, and validation
 * turns it into a dead letter.
 *
 * <p>The reader position is "records to skip"; a restored split whose record was already emitted
 * emits nothing, so a file is never read twice after recovery.
 */
public final class WholeFileFormat implements BulkFormat<MediaItem, FileSourceSplit> {
  private static final long serialVersionUID = 1L;

  private final long maxBytes;

  public WholeFileFormat(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public Reader<MediaItem> createReader(Configuration config, FileSourceSplit split) {
    return new WholeFileReader(split, false);
  }

  @Override
  public Reader<MediaItem> restoreReader(Configuration config, FileSourceSplit split) {
    boolean done =
        split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L) > 0;
    return new WholeFileReader(split, done);
  }

  @Override
  public boolean isSplittable() {
    return false;
  }

  @Override
  public TypeInformation<MediaItem> getProducedType() {
    return TypeInformation.of(MediaItem.class);
  }

  /** Builds the item for one file (package-visible for tests). */
  MediaItem read(FileSourceSplit split) throws IOException {
    Path path = split.path();
    String uri = path.toUri().toString();
    long size = split.fileSize();
    byte[] content = null;
    String sha = null;
    if (size <= maxBytes) {
      FileSystem fs = path.getFileSystem();
      try (FSDataInputStream in = fs.open(path)) {
        content = readAll(in, size);
      }
      size = content.length;
      sha = Hashing.sha256Hex(content);
    }
    return new MediaItem(
        Hashing.stableId(uri),
        "0",
        null,
        Instant.ofEpochMilli(split.fileModificationTime()),
        uri,
        null,
        size,
        sha,
        content,
        null,
        Map.of("file.name", path.getName()));
  }

  private byte[] readAll(InputStream in, long expected) throws IOException {
    // the file may have grown since it was listed: never read past the limit
    byte[] bytes = in.readNBytes((int) Math.min(maxBytes + 1, Math.max(expected, 0) + 1));
    if (bytes.length > maxBytes) {
      throw new IOException("file grew past the size limit while being read");
    }
    return bytes;
  }

  private final class WholeFileReader implements BulkFormat.Reader<MediaItem> {
    private final FileSourceSplit split;
    private boolean emitted;

    WholeFileReader(FileSourceSplit split, boolean alreadyEmitted) {
      this.split = split;
      this.emitted = alreadyEmitted;
    }

    @Override
    public RecordIterator<MediaItem> readBatch() throws IOException {
      if (emitted) {
        return null;
      }
      emitted = true;
      SingletonResultIterator<MediaItem> it = new SingletonResultIterator<>();
      it.set(read(split), CheckpointedPosition.NO_OFFSET, 1);
      return it;
    }

    @Override
    public void close() {}
  }
}
