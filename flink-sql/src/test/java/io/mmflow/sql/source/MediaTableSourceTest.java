package io.mmflow.sql.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.core.config.SourceOptions;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.table.api.DataTypes;
import org.junit.jupiter.api.Test;

/** Projection push-down decides whether the source reads the bytes at all. */
class MediaTableSourceTest {
  private static MediaTableSource source() {
    Configuration config = new Configuration();
    config.set(SourceOptions.MAX_BYTES, MemorySize.parse("64mb"));
    List<MediaColumns> all = List.of(MediaColumns.values());
    return new MediaTableSource(config, all, DataTypes.ROW());
  }

  @Test
  void withoutAColumnOfTheBytesNothingIsRead() {
    MediaTableSource source = source();
    // source_uri, size_bytes
    source.applyProjection(new int[][] {{1}, {3}}, DataTypes.ROW());
    assertThat(source.sourceConfig().get(SourceOptions.MAX_BYTES)).isEqualTo(MemorySize.ZERO);
  }

  @Test
  void aColumnOfTheBytesKeepsTheLimit() {
    for (int needsBytes : new int[] {2, 4, 5}) { // media_type, content_sha256, content
      MediaTableSource source = source();
      source.applyProjection(new int[][] {{1}, {needsBytes}}, DataTypes.ROW());
      assertThat(source.sourceConfig().get(SourceOptions.MAX_BYTES))
          .as(MediaColumns.values()[needsBytes].column)
          .isEqualTo(MemorySize.parse("64mb"));
    }
  }
}
