package io.mmflow.operators.preprocess.ocr;

import io.mmflow.core.model.BoundingBox;
import java.util.Locale;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * Runs the steps enabled in an {@link OcrPreprocessing} on a page image, in this order: reduce a
 * page of higher resolution than the target (the later steps then have fewer pixels to go through)
 * → contrast stretch → median denoise (before deskew, whose interpolation would smear isolated
 * specks into blobs the median no longer removes) → deskew → enlarge a page of lower resolution
 * when its text is small (measured by {@link LineSpacing} on the deskewed page: enlarging text that
 * Tesseract reads well at its own size only makes the OCR slower) → binarize (every earlier step
 * works better on gray levels) → find the content box that Tesseract is given ({@link ContentCrop}:
 * last, on the pixels Tesseract gets). Callers use {@link OcrPreprocessing#apply(GrayImage, int)}.
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
    // the histogram of `out` while it is known: contrast, deskew and the line spacing each need
    // it, and a step that changes the pixels says what it becomes (or null: count again)
    int[] hist = null;
    // the latest histogram counted, of `out` or of a page it was made from by a geometric step
    // (rotation, scaling) or the median filter, whose Otsu threshold and paper level are about the
    // same: the crop's ink level
    int[] levels = null;
    StringJoiner steps = new StringJoiner(",");
    int dpi = sourceDpi;
    boolean rescale = config.targetDpi() > 0 && sourceDpi > 0 && config.targetDpi() != sourceDpi;
    if (rescale && config.targetDpi() < sourceDpi) {
      out = Scaling.toDpi(out, sourceDpi, config.targetDpi());
      dpi = config.targetDpi();
      steps.add("scale:" + sourceDpi + ">" + dpi);
    }
    if (config.contrast()) {
      Contrast.Stretched stretched =
          Contrast.stretch(
              out,
              Contrast.histogram(out),
              Contrast.DEFAULT_LOW_PERCENTILE,
              Contrast.DEFAULT_HIGH_PERCENTILE);
      out = stretched.image();
      hist = stretched.histogram();
      levels = hist;
      steps.add("contrast");
    }
    if (config.denoise()) {
      out = Denoise.median3x3(out);
      hist = null;
      steps.add("denoise");
    }
    double skew = 0;
    if (config.deskew()) {
      hist = histogram(out, hist);
      levels = hist;
      skew = Deskew.estimateAngle(out, hist, config.maxSkewDegrees(), Deskew.DEFAULT_STEP_DEGREES);
      if (Math.abs(skew) >= Deskew.MIN_CORRECTION_DEGREES) {
        out = Deskew.rotate(out, -skew, Deskew.backgroundLevel(hist));
        hist = null;
      }
      steps.add(String.format(Locale.ROOT, "deskew:%.2f", skew));
    }
    if (rescale && config.targetDpi() > sourceDpi) {
      double pitch =
          config.upscaleBelowPitchPx() <= 0
              ? Double.NaN
              : LineSpacing.pitch(out, histogram(out, hist));
      if (pitch >= config.upscaleBelowPitchPx()) {
        steps.add(String.format(Locale.ROOT, "scale:kept %d (lines %.0f px)", sourceDpi, pitch));
      } else {
        out = Scaling.toDpi(out, sourceDpi, config.targetDpi());
        hist = null;
        dpi = config.targetDpi();
        steps.add("scale:" + sourceDpi + ">" + dpi);
      }
    }
    switch (config.binarization()) {
      case OcrPreprocessing.OTSU -> {
        out = Binarization.threshold(out, Binarization.otsuThreshold(histogram(out, hist)));
        steps.add("otsu");
      }
      case OcrPreprocessing.SAUVOLA -> {
        int window = sauvolaWindow(dpi > 0 ? dpi : ASSUMED_DPI);
        out = Binarization.sauvola(out, window, Binarization.DEFAULT_SAUVOLA_K);
        steps.add("sauvola:" + window);
      }
      default -> {}
    }
    BoundingBox content = ContentCrop.whole(out.width, out.height);
    if (config.crop()) {
      content = ContentCrop.find(out, levels != null ? levels : histogram(out, hist), dpi);
      if (!ContentCrop.isWhole(content, out.width, out.height)) {
        steps.add("crop:" + ContentCrop.describe(content));
      }
    }
    return new OcrPreprocessing.Result(
        out,
        dpi,
        skew,
        steps.length() == 0 ? "none" : steps.toString(),
        !config.binarization().equals(OcrPreprocessing.NONE),
        content);
  }

  /** The Sauvola window for a resolution: 25 px at 300 DPI, scaled, odd, at least 3. */
  static int sauvolaWindow(int dpi) {
    int window = (int) Math.round(Binarization.DEFAULT_SAUVOLA_WINDOW * dpi / 300.0);
    return Math.max(3, window | 1);
  }

  /** {@code known}, the histogram of {@code image} when a step before kept it, else a new count. */
  private static int[] histogram(GrayImage image, int[] known) {
    return known != null ? known : Contrast.histogram(image);
  }
}
