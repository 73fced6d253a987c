package io.mmflow.operators.preprocess.ocr;

import io.mmflow.core.model.BoundingBox;
import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * Which OCR preprocessing steps to run; {@link #apply(GrayImage, int)} runs them. Immutable and
 * {@link Serializable}, so it can be shipped inside Flink functions.
 *
 * @param contrast percentile contrast stretch, 1% / 99% ({@link Contrast#normalize(GrayImage)})
 * @param binarization {@code "none"}, {@code "otsu"} or {@code "sauvola"} ({@link Binarization});
 *     Tesseract binarizes by itself (Otsu by default), so {@code "none"} leaves that to it and its
 *     recognizer reads the gray page; a binarized page goes to Tesseract as a 1-bit image, which
 *     skips its thresholding (~15 ms a 300-DPI page) and gives the same text
 * @param deskew estimate and correct the skew ({@link Deskew#deskew(GrayImage, double)})
 * @param maxSkewDegrees largest skew searched by the deskew step, in (0, 45]
 * @param denoise 3x3 median filter ({@link Denoise#median3x3(GrayImage)})
 * @param targetDpi resample to this resolution ({@link Scaling#toDpi}); 0 keeps the resolution
 * @param upscaleBelowPitchPx enlarge a page of lower resolution than {@code targetDpi} only when
 *     its text lines are less than this many pixels apart ({@link LineSpacing}), or their spacing
 *     cannot be told; 0 enlarges every such page. Pages of higher resolution are always reduced
 * @param crop give Tesseract only the page's content and a white border ({@link ContentCrop}), not
 *     its empty margins
 */
public record OcrPreprocessing(
    boolean contrast,
    String binarization,
    boolean deskew,
    double maxSkewDegrees,
    boolean denoise,
    int targetDpi,
    int upscaleBelowPitchPx,
    boolean crop)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String NONE = "none";
  public static final String OTSU = "otsu";
  public static final String SAUVOLA = "sauvola";

  /** Default largest skew searched, in degrees. */
  public static final double DEFAULT_MAX_SKEW_DEGREES = 10.0;

  public OcrPreprocessing {
    Objects.requireNonNull(binarization, "binarization");
    binarization = binarization.trim().toLowerCase(Locale.ROOT);
    if (!binarization.equals(NONE) && !binarization.equals(OTSU) && !binarization.equals(SAUVOLA)) {
      throw new IllegalArgumentException(
          "binarization must be none, otsu or sauvola: " + binarization);
    }
    if (!(maxSkewDegrees > 0 && maxSkewDegrees <= 45)) {
      throw new IllegalArgumentException("maxSkewDegrees must be in (0, 45]: " + maxSkewDegrees);
    }
    if (targetDpi < 0) {
      throw new IllegalArgumentException("targetDpi must be >= 0 (0 = keep): " + targetDpi);
    }
    if (upscaleBelowPitchPx < 0) {
      throw new IllegalArgumentException(
          "upscaleBelowPitchPx must be >= 0 (0 = always): " + upscaleBelowPitchPx);
    }
  }

  /**
   * The recommended chain for scanned pages and photos of pages: contrast stretch, 3x3 median,
   * deskew within +-10 degrees, Sauvola binarization (window 25 px at 300 DPI, scaled with the
   * resolution; k = 0.34), resolution kept.
   *
   * <p>Chosen by Tesseract 5.3 ({@code --psm 6}, eng) on synthetic degraded pages (skew, Gaussian
   * and salt-and-pepper noise, low contrast, blur, uneven light): leaving binarization to
   * Tesseract's global Otsu loses whole pages under uneven light, Sauvola keeps them and costs
   * little on evenly lit ones; the median filter is what rescues noisy pages; deskew fills its
   * corners with the paper level so that a later global threshold is not thrown off.
   */
  public static OcrPreprocessing defaults() {
    return new OcrPreprocessing(true, SAUVOLA, true, DEFAULT_MAX_SKEW_DEGREES, true, 0, 0, true);
  }

  /** No step at all: images pass through unchanged. */
  public static OcrPreprocessing none() {
    return new OcrPreprocessing(false, NONE, false, DEFAULT_MAX_SKEW_DEGREES, false, 0, 0, false);
  }

  /**
   * Runs the enabled steps (in the order documented on {@code OcrPreprocessor}) and reports what
   * was done. {@code sourceDpi <= 0} means unknown.
   */
  public Result apply(GrayImage image, int sourceDpi) {
    return OcrPreprocessor.run(this, image, sourceDpi);
  }

  /**
   * The outcome of {@link #apply(GrayImage, int)}.
   *
   * @param image the preprocessed page
   * @param dpi its resolution: the target DPI when it was rescaled, else the source DPI (which may
   *     be {@code <= 0} when unknown)
   * @param skewDegrees the skew estimated by the deskew step (positive = counter-clockwise, see
   *     {@link Deskew}); it was corrected when at least {@value Deskew#MIN_CORRECTION_DEGREES}
   *     degree. 0 when deskew is off
   * @param steps the steps that ran, comma separated, e.g. {@code
   *     "contrast,denoise,deskew:-3.10,scale:150>300,sauvola:25"}, or {@code "scale:kept 150 (lines
   *     24 px)"} when a page of low resolution has text large enough as it is; {@code "none"} when
   *     none ran
   * @param twoLevel the image was binarized: every pixel is 0 or 255
   * @param content the part of {@code image} to OCR: its content box when cropping is on and saves
   *     pixels, else the whole image
   */
  public record Result(
      GrayImage image,
      int dpi,
      double skewDegrees,
      String steps,
      boolean twoLevel,
      BoundingBox content) {}

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return defaults().toBuilder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Mutable builder of {@link OcrPreprocessing}. */
  public static final class Builder {
    private boolean contrast;
    private String binarization;
    private boolean deskew;
    private double maxSkewDegrees;
    private boolean denoise;
    private int targetDpi;
    private int upscaleBelowPitchPx;
    private boolean crop;

    private Builder(OcrPreprocessing from) {
      contrast = from.contrast;
      binarization = from.binarization;
      deskew = from.deskew;
      maxSkewDegrees = from.maxSkewDegrees;
      denoise = from.denoise;
      targetDpi = from.targetDpi;
      upscaleBelowPitchPx = from.upscaleBelowPitchPx;
      crop = from.crop;
    }

    public Builder contrast(boolean value) {
      contrast = value;
      return this;
    }

    public Builder binarization(String value) {
      binarization = value;
      return this;
    }

    public Builder deskew(boolean value) {
      deskew = value;
      return this;
    }

    public Builder maxSkewDegrees(double value) {
      maxSkewDegrees = value;
      return this;
    }

    public Builder denoise(boolean value) {
      denoise = value;
      return this;
    }

    public Builder targetDpi(int value) {
      targetDpi = value;
      return this;
    }

    public Builder upscaleBelowPitchPx(int value) {
      upscaleBelowPitchPx = value;
      return this;
    }

    public Builder crop(boolean value) {
      crop = value;
      return this;
    }

    public OcrPreprocessing build() {
      return new OcrPreprocessing(
          contrast,
          binarization,
          deskew,
          maxSkewDegrees,
          denoise,
          targetDpi,
          upscaleBelowPitchPx,
          crop);
    }
  }
}
