package io.mmflow.operators.preprocess.ocr;

import java.util.Locale;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * Runs the steps enabled in an {@link OcrPreprocessing} on a page image, in this order: scale to
 * the target resolution (so the later steps see the resolution Tesseract will see) → contrast
 * stretch → median denoise (before deskew, whose interpolation would smear isolated specks into
 * blobs the median no longer removes) → deskew → binarize (last: every earlier step works better on
 * gray levels). Callers use {@link OcrPreprocessing#apply(GrayImage, int)}.
 */
final class OcrPreprocessor {
  /** Resolution assumed when the caller does not know it (sourceDpi {@code <= 0}). */
  static final int ASSUMED_DPI = 300;

  private OcrPreprocessor() {}

  /**
   * Runs the enabled steps. {@code sourceDpi <= 0} means unknown: no rescaling is done and the
   * Sauvola window is sized for {@value #ASSUMED_DPI} DPI. The image is returned itself when no
   * step changes it.
   */
  static OcrPreprocessing.Result run(OcrPreprocessing config, GrayImage image, int sourceDpi) {
    Objects.requireNonNull(image, "image");
    GrayImage out = image;
    StringJoiner steps = new StringJoiner(",");
    int dpi = sourceDpi;
    if (config.targetDpi() > 0 && sourceDpi > 0 && config.targetDpi() != sourceDpi) {
      out = Scaling.toDpi(out, sourceDpi, config.targetDpi());
      dpi = config.targetDpi();
      steps.add("scale:" + sourceDpi + ">" + dpi);
    }
    if (config.contrast()) {
      out = Contrast.normalize(out);
      steps.add("contrast");
    }
    if (config.denoise()) {
      out = Denoise.median3x3(out);
      steps.add("denoise");
    }
    double skew = 0;
    if (config.deskew()) {
      skew = Deskew.estimateAngle(out, config.maxSkewDegrees(), Deskew.DEFAULT_STEP_DEGREES);
      if (Math.abs(skew) >= Deskew.MIN_CORRECTION_DEGREES) {
        out = Deskew.rotate(out, -skew, Deskew.backgroundLevel(out));
      }
      steps.add(String.format(Locale.ROOT, "deskew:%.2f", skew));
    }
    switch (config.binarization()) {
      case OcrPreprocessing.OTSU -> {
        out = Binarization.otsu(out);
        steps.add("otsu");
      }
      case OcrPreprocessing.SAUVOLA -> {
        int window = sauvolaWindow(dpi > 0 ? dpi : ASSUMED_DPI);
        out = Binarization.sauvola(out, window, Binarization.DEFAULT_SAUVOLA_K);
        steps.add("sauvola:" + window);
      }
      default -> {}
    }
    return new OcrPreprocessing.Result(
        out, dpi, skew, steps.length() == 0 ? "none" : steps.toString());
  }

  /** The Sauvola window for a resolution: 25 px at 300 DPI, scaled, odd, at least 3. */
  static int sauvolaWindow(int dpi) {
    int window = (int) Math.round(Binarization.DEFAULT_SAUVOLA_WINDOW * dpi / 300.0);
    return Math.max(3, window | 1);
  }
}
