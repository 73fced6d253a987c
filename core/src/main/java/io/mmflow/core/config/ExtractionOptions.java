package io.mmflow.core.config;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Text extraction with Apache Tika, and its safety limits. */
public final class ExtractionOptions {
  public static final ConfigOption<Integer> WRITE_LIMIT =
      ConfigOptions.key("mmflow.extract.write-limit")
          .intType()
          .defaultValue(10_000_000)
          .withDescription(
              "Most characters of text kept per document; longer text is cut and the result is"
                  + " marked degraded with attribute truncated=true.");

  public static final ConfigOption<Duration> PARSE_TIMEOUT =
      ConfigOptions.key("mmflow.extract.parse-timeout")
          .durationType()
          .defaultValue(Duration.ofSeconds(60))
          .withDescription(
              "Longest time one document may take to parse; past it the document becomes a dead"
                  + " letter MMF-1009.");

  public static final ConfigOption<Long> MAX_COMPRESSION_RATIO =
      ConfigOptions.key("mmflow.extract.max-compression-ratio")
          .longType()
          .defaultValue(100L)
          .withDescription(
              "Zip-bomb guard: most characters of output per byte of input once output passes"
                  + " mmflow.extract.bomb-output-threshold (MMF-1006).");

  public static final ConfigOption<Long> BOMB_OUTPUT_THRESHOLD =
      ConfigOptions.key("mmflow.extract.bomb-output-threshold")
          .longType()
          .defaultValue(1_000_000L)
          .withDescription("Characters of output after which the compression ratio is enforced.");

  public static final ConfigOption<Integer> MAX_DEPTH =
      ConfigOptions.key("mmflow.extract.max-depth")
          .intType()
          .defaultValue(100)
          .withDescription("Zip-bomb guard: deepest XML element nesting accepted (MMF-1006).");

  public static final ConfigOption<Integer> MAX_PACKAGE_DEPTH =
      ConfigOptions.key("mmflow.extract.max-package-depth")
          .intType()
          .defaultValue(10)
          .withDescription(
              "Zip-bomb guard: deepest nesting of archives inside archives accepted (MMF-1006).");

  public static final ConfigOption<Boolean> DETECT_LANGUAGE =
      ConfigOptions.key("mmflow.extract.detect-language")
          .booleanType()
          .defaultValue(true)
          .withDescription("Detect the language of extracted text (ISO 639-1 code).");

  private ExtractionOptions() {}

  public static List<ConfigOption<?>> all() {
    return List.of(
        WRITE_LIMIT,
        PARSE_TIMEOUT,
        MAX_COMPRESSION_RATIO,
        BOMB_OUTPUT_THRESHOLD,
        MAX_DEPTH,
        MAX_PACKAGE_DEPTH,
        DETECT_LANGUAGE);
  }
}
