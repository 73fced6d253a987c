package io.mmflow.sql.functions;

import io.mmflow.core.model.MediaItem;
import io.mmflow.core.util.Hashing;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/** The arguments of a SQL function as the {@link MediaItem} the jobs' stages read. */
final class SqlInputs {
  private SqlInputs() {}

  /**
   * One input: the item id is the jobs' id of {@code sourceUri} (the same rows as a job that read
   * the same object), or of {@code sha256:<hex>} when no URI is given.
   *
   * @param sourceUri where the bytes came from, or null
   * @param eventTime when the item happened, or null for now
   */
  static MediaItem item(byte[] content, String sourceUri, Instant eventTime) {
    String sha = Hashing.sha256Hex(content);
    String uri = sourceUri == null || sourceUri.isBlank() ? "sha256:" + sha : sourceUri;
    return new MediaItem(
        Hashing.stableId(uri),
        "0",
        null,
        eventTime == null ? Instant.now() : eventTime,
        uri,
        null,
        content.length,
        sha,
        content,
        null,
        Map.of());
  }

  /**
   * {@code base} with {@code options} of one call: keys as in the configuration ({@code
   * mmflow.ocr.language}), or relative to {@code prefix} ({@code language}).
   */
  static Configuration withOptions(Configuration base, String prefix, Map<String, String> options) {
    Configuration config = new Configuration(base);
    if (options != null) {
      options.forEach(
          (k, v) -> {
            if (k != null && v != null) {
              config.setString(k.startsWith("mmflow.") ? k : prefix + k, v);
            }
          });
    }
    return config;
  }
}
