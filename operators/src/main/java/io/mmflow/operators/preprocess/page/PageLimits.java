package io.mmflow.operators.preprocess.page;

import static io.mmflow.core.util.Checks.checkArgument;

import io.mmflow.core.config.ExtractionOptions;
import io.mmflow.core.config.OcrOptions;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/**
 * Limits and resolutions of page splitting; see {@link OcrOptions}.
 *
 * @param maxPages more pages: the document is refused (MMF-1007)
 * @param maxPixels a bigger image or rendered page is refused (MMF-1008)
 * @param renderDpi resolution of rendered PDF pages
 * @param defaultImageDpi resolution assumed for images that record none
 * @param minTextLayerChars fewer letters and digits in a PDF page's text layer: OCR it
 * @param parseTimeout longest time to open a PDF and read its text layers (MMF-1009)
 */
public record PageLimits(
    int maxPages,
    long maxPixels,
    int renderDpi,
    int defaultImageDpi,
    int minTextLayerChars,
    Duration parseTimeout)
    implements Serializable {
  public PageLimits {
    checkArgument(maxPages > 0, "max pages must be > 0: %s", maxPages);
    checkArgument(maxPixels > 0, "max pixels must be > 0: %s", maxPixels);
    checkArgument(
        renderDpi >= 50 && renderDpi <= 1200, "render DPI must be in 50..1200: %s", renderDpi);
    checkArgument(defaultImageDpi > 0, "default image DPI must be > 0: %s", defaultImageDpi);
  }

  public static PageLimits from(Configuration config) {
    return new PageLimits(
        config.get(OcrOptions.MAX_PAGES),
        config.get(OcrOptions.MAX_PIXELS),
        config.get(OcrOptions.RENDER_DPI),
        config.get(OcrOptions.DEFAULT_IMAGE_DPI),
        config.get(OcrOptions.MIN_TEXT_LAYER_CHARS),
        config.get(ExtractionOptions.PARSE_TIMEOUT));
  }
}
