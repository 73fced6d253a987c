package io.mmflow.operators.preprocess.ocr;

import io.mmflow.core.config.OcrOptions;
import java.util.Locale;
import org.apache.flink.configuration.Configuration;

/** Maps the {@code mmflow.ocr.preprocess.*} options to an {@link OcrPreprocessing} chain. */
public final class OcrPreprocessingOptions {
  private OcrPreprocessingOptions() {}

  /**
   * The configured chain; {@link OcrPreprocessing#none()} when {@code
   * mmflow.ocr.preprocess.enabled} is false (pages are made gray before the chain either way).
   */
  public static OcrPreprocessing from(Configuration config) {
    if (!config.get(OcrOptions.PREPROCESS)) {
      return OcrPreprocessing.none();
    }
    return new OcrPreprocessing(
        config.get(OcrOptions.PRE_CONTRAST),
        config.get(OcrOptions.PRE_BINARIZATION).name().toLowerCase(Locale.ROOT),
        config.get(OcrOptions.PRE_DESKEW),
        config.get(OcrOptions.PRE_MAX_SKEW),
        config.get(OcrOptions.PRE_DENOISE),
        config.get(OcrOptions.PRE_TARGET_DPI),
        config.get(OcrOptions.PRE_UPSCALE_BELOW_LINE_PITCH),
        config.get(OcrOptions.PRE_CROP));
  }
}
