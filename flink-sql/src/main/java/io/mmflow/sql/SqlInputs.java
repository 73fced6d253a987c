package io.mmflow.sql;

import io.mmflow.core.model.MediaItem;
import io.mmflow.core.util.Hashing;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.ValidationException;

/**
 * What the SQL layer hands the jobs' classes: a row's bytes or text as the {@link MediaItem} the
 * stages read, and the {@code mmflow.*} settings given as options of a module, table or model.
 */
public final class SqlInputs {
  /** The prefix of every mmflow setting. */
  public static final String SETTINGS_PREFIX = "mmflow.";

  private SqlInputs() {}

  /**
   * One input: the item id is the jobs' id of {@code sourceUri} (the same rows as a job that read
   * the same object), or of {@code sha256:<hex>} when no URI is given.
   *
   * @param sourceUri where the bytes came from, or null
   * @param eventTime when the item happened, or null for now
   * @param mediaType the media type when it is known, else null (validation detects it)
   */
  public static MediaItem item(
      byte[] content, String sourceUri, Instant eventTime, String mediaType) {
    String sha = Hashing.sha256Hex(content);
    String uri = sourceUri == null || sourceUri.isBlank() ? "sha256:" + sha : sourceUri;
    return new MediaItem(
        Hashing.stableId(uri),
        "0",
        null,
        eventTime == null ? Instant.now() : eventTime,
        uri,
        mediaType,
        content.length,
        sha,
        content,
        null,
        Map.of());
  }

  /** {@link #item} of bytes whose type validation detects. */
  public static MediaItem item(byte[] content, String sourceUri, Instant eventTime) {
    return item(content, sourceUri, eventTime, null);
  }

  /** A row's text as its own item (UTF-8 text, identified by its hash), as a feed's text part. */
  public static MediaItem text(String text) {
    return item(text.getBytes(StandardCharsets.UTF_8), null, null, "text/plain");
  }

  /**
   * {@code base} with {@code options} of one call: keys as in the configuration ({@code
   * mmflow.ocr.language}), or relative to {@code prefix} ({@code language}).
   */
  public static Configuration withOptions(
      Configuration base, String prefix, Map<String, String> options) {
    Configuration config = new Configuration(base);
    if (options != null) {
      options.forEach(
          (k, v) -> {
            if (k != null && v != null) {
              config.setString(k.startsWith(SETTINGS_PREFIX) ? k : prefix + k, v);
            }
          });
    }
    return config;
  }

  /** The {@code mmflow.*} entries of a statement's options, as mmflow settings. */
  public static Configuration settings(Map<String, String> options) {
    Configuration config = new Configuration();
    options.forEach(
        (k, v) -> {
          if (k.startsWith(SETTINGS_PREFIX)) {
            config.setString(k, v);
          }
        });
    return config;
  }

  /**
   * As {@link #settings}, refusing any other key: {@code what} names the statement in the message.
   */
  public static Configuration onlySettings(String what, Map<String, String> options) {
    options.keySet().stream()
        .filter(k -> !k.startsWith(SETTINGS_PREFIX))
        .findFirst()
        .ifPresent(
            k -> {
              throw new ValidationException(
                  what
                      + " takes mmflow settings (mmflow.*; see bin/mmflow options), not '"
                      + k
                      + "'");
            });
    return settings(options);
  }
}
