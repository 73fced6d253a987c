package io.mmflow.operators.preprocess.ocr;

/**
 * The spacing of a page's text lines (baseline to baseline, in pixels): how large the text is at
 * the page's resolution, which decides whether enlarging the page helps Tesseract.
 *
 * <p>The method is the autocorrelation of the horizontal projection profile: the dark pixels
 * (Otsu's threshold) of each row are counted, and the profile's autocorrelation peaks at the line
 * pitch, because lines of text repeat down the page at that period. Projection profiles of upright
 * text are the basis of line finding since R. G. Casey and E. Lecolinet, "A survey of methods and
 * strategies in character segmentation", IEEE PAMI 18(7), 1996; the period of a signal as the first
 * strong peak of its autocorrelation is the classic pitch estimator (L. R. Rabiner, "On the use of
 * autocorrelation analysis for pitch detection", IEEE Trans. ASSP 25(1), 1977), here applied down
 * the page instead of along time. The page should be deskewed first: tilted lines smear the
 * profile.
 */
public final class LineSpacing {
  /** Shortest spacing looked for, in pixels: lines closer than this are not readable text. */
  static final int MIN_PITCH_PX = 4;

  /** Longest spacing looked for, in pixels (about 1 inch at 300 DPI: a 60 pt font). */
  static final int MAX_PITCH_PX = 300;

  /**
   * How strong the peak must be (autocorrelation over variance): below this the profile is not
   * periodic (a photo, a form, a single line) and no spacing is returned.
   */
  static final double MIN_PEAK = 0.25;

  /**
   * Of several strong peaks (the pitch and its multiples), the first within this share of the
   * strongest wins.
   */
  private static final double HARMONIC_SHARE = 0.8;

  private LineSpacing() {}

  /**
   * The dominant spacing of the text lines in pixels, or {@link Double#NaN} when the page shows no
   * regular lines (too little ink, mostly ink, or no periodic profile).
   */
  public static double pitch(GrayImage image) {
    return pitch(image, Contrast.histogram(image));
  }

  /** {@link #pitch(GrayImage)} given the image's 256-bin histogram, for Otsu's threshold. */
  static double pitch(GrayImage image, int[] histogram) {
    int w = image.width;
    int h = image.height;
    int maxLag = Math.min(MAX_PITCH_PX, h / 3);
    if (maxLag <= MIN_PITCH_PX) {
      return Double.NaN;
    }
    int[] dark = Binarization.otsuInkTable(histogram);
    byte[] px = image.pixels;
    double[] profile = new double[h];
    long total = 0;
    for (int y = 0, p = 0; y < h; y++) {
      int c = 0;
      for (int end = p + w; p < end; p++) {
        c += dark[px[p] & 0xFF];
      }
      profile[y] = c;
      total += c;
    }
    long pixels = (long) w * h;
    if (total < Math.max(50, pixels / 1000) || total > pixels / 2) {
      return Double.NaN;
    }
    double mean = (double) total / h;
    double variance = 0;
    for (int y = 0; y < h; y++) {
      profile[y] -= mean;
      variance += profile[y] * profile[y];
    }
    variance /= h;
    if (variance <= 0) {
      return Double.NaN;
    }
    double[] r = new double[maxLag + 2];
    for (int lag = MIN_PITCH_PX - 1; lag <= maxLag + 1; lag++) {
      double s = 0;
      for (int y = 0, n = h - lag; y < n; y++) {
        s += profile[y] * profile[y + lag];
      }
      r[lag] = s / (h - lag) / variance;
    }
    double strongest = 0;
    for (int lag = MIN_PITCH_PX; lag <= maxLag; lag++) {
      if (isPeak(r, lag)) {
        strongest = Math.max(strongest, r[lag]);
      }
    }
    if (strongest < MIN_PEAK) {
      return Double.NaN;
    }
    // the first peak nearly as strong as the strongest: the pitch, not one of its multiples
    for (int lag = MIN_PITCH_PX; lag <= maxLag; lag++) {
      if (isPeak(r, lag) && r[lag] >= HARMONIC_SHARE * strongest) {
        // parabolic interpolation between the neighbouring lags
        double d = r[lag - 1] - 2 * r[lag] + r[lag + 1];
        double offset = d < 0 ? 0.5 * (r[lag - 1] - r[lag + 1]) / d : 0;
        return lag + Math.max(-0.5, Math.min(0.5, offset));
      }
    }
    return Double.NaN;
  }

  private static boolean isPeak(double[] r, int lag) {
    return r[lag] > r[lag - 1] && r[lag] >= r[lag + 1];
  }
}
