package io.mmflow.model.tika;

import static io.mmflow.core.util.Checks.checkArgument;

import io.mmflow.core.config.ExtractionOptions;
import io.mmflow.core.config.OcrOptions;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/**
 * Limits of one Tika extraction; see {@link ExtractionOptions} for each.
 *
 * @param writeLimit most characters kept
 * @param parseTimeout longest parse
 * @param maxCompressionRatio zip-bomb guard: output characters per input byte
 * @param bombOutputThreshold output characters after which the ratio is enforced
 * @param maxDepth deepest XML nesting
 * @param maxPackageDepth deepest nesting of archives
 * @param detectLanguage whether to identify the text's language
 * @param maxEmbeddedImages embedded images kept per document for OCR; 0 keeps none
 */
public record ExtractionSettings(
    int writeLimit,
    Duration parseTimeout,
    long maxCompressionRatio,
    long bombOutputThreshold,
    int maxDepth,
    int maxPackageDepth,
    boolean detectLanguage,
    int maxEmbeddedImages)
    implements Serializable {

  public ExtractionSettings {
    checkArgument(writeLimit > 0, "write limit must be > 0, but was: %s", writeLimit);
    checkArgument(
        parseTimeout != null && !parseTimeout.isNegative() && !parseTimeout.isZero(),
        "parse timeout must be > 0, but was: %s",
        parseTimeout);
    checkArgument(
        maxCompressionRatio > 0, "compression ratio must be > 0: %s", maxCompressionRatio);
    checkArgument(maxDepth > 0 && maxPackageDepth > 0, "depth limits must be > 0");
  }

  public static ExtractionSettings from(Configuration config) {
    return new ExtractionSettings(
        config.get(ExtractionOptions.WRITE_LIMIT),
        config.get(ExtractionOptions.PARSE_TIMEOUT),
        config.get(ExtractionOptions.MAX_COMPRESSION_RATIO),
        config.get(ExtractionOptions.BOMB_OUTPUT_THRESHOLD),
        config.get(ExtractionOptions.MAX_DEPTH),
        config.get(ExtractionOptions.MAX_PACKAGE_DEPTH),
        config.get(ExtractionOptions.DETECT_LANGUAGE),
        config.get(OcrOptions.ENABLED) && config.get(OcrOptions.EMBEDDED_IMAGES)
            ? config.get(OcrOptions.EMBEDDED_MAX_IMAGES)
            : 0);
  }

  public static ExtractionSettings defaults() {
    return from(new Configuration());
  }

  public ExtractionSettings withParseTimeout(Duration timeout) {
    return new ExtractionSettings(
        writeLimit,
        timeout,
        maxCompressionRatio,
        bombOutputThreshold,
        maxDepth,
        maxPackageDepth,
        detectLanguage,
        maxEmbeddedImages);
  }

  public ExtractionSettings withWriteLimit(int limit) {
    return new ExtractionSettings(
        limit,
        parseTimeout,
        maxCompressionRatio,
        bombOutputThreshold,
        maxDepth,
        maxPackageDepth,
        detectLanguage,
        maxEmbeddedImages);
  }
}
