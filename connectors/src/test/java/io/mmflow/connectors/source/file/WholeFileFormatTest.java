package io.mmflow.connectors.source.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.core.model.MediaItem;
import io.mmflow.core.util.Hashing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WholeFileFormatTest {
  @TempDir Path dir;

  FileSourceSplit split(Path file) throws Exception {
    return new FileSourceSplit(
        "s1",
        org.apache.flink.core.fs.Path.fromLocalFile(file.toFile()),
        0,
        Files.size(file),
        Files.getLastModifiedTime(file).toMillis(),
        Files.size(file));
  }

  static MediaItem readOne(BulkFormat.Reader<MediaItem> reader) throws Exception {
    BulkFormat.RecordIterator<MediaItem> batch = reader.readBatch();
    assertThat(batch).isNotNull();
    RecordAndPosition<MediaItem> rec = batch.next();
    assertThat(rec.getRecordSkipCount()).isEqualTo(1);
    assertThat(batch.next()).isNull();
    assertThat(reader.readBatch()).isNull();
    return rec.getRecord();
  }

  @Test
  void readsTheWholeFileWithHashAndStableId() throws Exception {
    Path file = Files.writeString(dir.resolve("a.txt"), "hello world");
    FileSourceSplit split = split(file);
    MediaItem item = readOne(new WholeFileFormat(1024).createReader(new Configuration(), split));
    assertThat(new String(item.content(), StandardCharsets.UTF_8)).isEqualTo("hello world");
    assertThat(item.contentSha256()).isEqualTo(Hashing.sha256Hex(item.content()));
    assertThat(item.sizeBytes()).isEqualTo(11);
    assertThat(item.itemId()).isEqualTo(Hashing.stableId(item.sourceUri()));
    assertThat(item.attributes()).containsEntry("file.name", "a.txt");

    MediaItem again = readOne(new WholeFileFormat(1024).createReader(new Configuration(), split));
    assertThat(again.itemId()).isEqualTo(item.itemId());
  }

  @Test
  void aFileOverTheLimitIsNotRead() throws Exception {
    Path file = Files.write(dir.resolve("big.bin"), new byte[2048]);
    MediaItem item =
        readOne(new WholeFileFormat(1024).createReader(new Configuration(), split(file)));
    assertThat(item.hasContent()).isFalse();
    assertThat(item.sizeBytes()).isEqualTo(2048);
    assertThat(item.contentSha256()).isNull();
  }

  @Test
  void aRestoredSplitWhoseRecordWasEmittedEmitsNothing() throws Exception {
    Path file = Files.writeString(dir.resolve("a.txt"), "x");
    FileSourceSplit done =
        split(file)
            .updateWithCheckpointedPosition(
                new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, 1));
    assertThat(new WholeFileFormat(1024).restoreReader(new Configuration(), done).readBatch())
        .isNull();
    FileSourceSplit fresh = split(file);
    assertThat(readOne(new WholeFileFormat(1024).restoreReader(new Configuration(), fresh)))
        .isNotNull();
  }

  @Test
  void globsIncludeAndExcludeRelativeToTheRoot() throws Exception {
    org.apache.flink.core.fs.Path root = org.apache.flink.core.fs.Path.fromLocalFile(dir.toFile());
    GlobFileFilter filter =
        new GlobFileFilter(root, List.of("**/*.pdf"), List.of("**/*.expected.txt", "**/.*"));
    assertThat(filter.test(child(root, "a.pdf"))).isTrue();
    assertThat(filter.test(child(root, "sub/b.pdf"))).isTrue();
    assertThat(filter.test(child(root, "c.docx"))).isFalse();
    assertThat(filter.test(child(root, "a.pdf.expected.txt"))).isFalse();
    assertThat(filter.test(child(root, ".hidden.pdf"))).isFalse();

    GlobFileFilter all = new GlobFileFilter(root, List.of(), List.of("**/*.gt.txt"));
    assertThat(all.test(child(root, "x/y/z.png"))).isTrue();
    assertThat(all.test(child(root, "x/page.gt.txt"))).isFalse();
  }

  private static org.apache.flink.core.fs.Path child(
      org.apache.flink.core.fs.Path root, String rel) {
    return new org.apache.flink.core.fs.Path(root, rel);
  }
}
