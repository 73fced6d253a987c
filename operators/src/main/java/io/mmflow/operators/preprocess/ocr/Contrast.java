package io.mmflow.operators.preprocess.ocr;

/**
 * Global contrast normalization by a saturating linear stretch ("contrast stretching", Gonzalez &
 * Woods, <i>Digital Image Processing</i>, 3rd ed. 2008, §3.2.4; the percentile-clipped form is
 * ImageMagick's {@code -contrast-stretch}): the gray level at the low percentile of the histogram
 * maps to 0, the one at the high percentile to 255, the levels in between linearly, and the tails
 * are clipped.
 */
public final class Contrast {
  /** Default low percentile, in percent. */
  public static final double DEFAULT_LOW_PERCENTILE = 1.0;

  /** Default high percentile, in percent. */
  public static final double DEFAULT_HIGH_PERCENTILE = 99.0;

  /**
   * Percentile ranges narrower than this many gray levels are treated as degenerate: such an image
   * is blank (or nearly), and stretching it would only turn sensor noise into fake ink.
   */
  public static final int MIN_RANGE = 16;

  private Contrast() {}

  /** {@link #normalize(GrayImage, double, double)} with 1% / 99%. */
  public static GrayImage normalize(GrayImage image) {
    return normalize(image, DEFAULT_LOW_PERCENTILE, DEFAULT_HIGH_PERCENTILE);
  }

  /**
   * Stretches the image linearly so that the gray level at {@code lowPercentile} becomes 0 and the
   * one at {@code highPercentile} becomes 255 (percentiles in percent, {@code 0 <= low < high <=
   * 100}; 0 and 100 are the minimum and maximum). Returns {@code image} itself when the range
   * between the two levels is degenerate (narrower than {@link #MIN_RANGE}) or already 0..255.
   */
  public static GrayImage normalize(GrayImage image, double lowPercentile, double highPercentile) {
    return stretch(image, histogram(image), lowPercentile, highPercentile).image();
  }

  /**
   * A stretched image and its histogram.
   *
   * @param image the stretched image ({@code image} itself when nothing was stretched)
   * @param histogram the 256-bin histogram of {@code image}
   */
  record Stretched(GrayImage image, int[] histogram) {}

  /**
   * {@link #normalize(GrayImage, double, double)} given the image's histogram; also returns the
   * histogram of the result, derived from the input's through the same mapping (no second pass over
   * the pixels), for the steps after it.
   */
  static Stretched stretch(
      GrayImage image, int[] histogram, double lowPercentile, double highPercentile) {
    if (!(lowPercentile >= 0 && lowPercentile < highPercentile && highPercentile <= 100)) {
      throw new IllegalArgumentException(
          "need 0 <= low < high <= 100, got " + lowPercentile + ", " + highPercentile);
    }
    long n = image.pixels.length;
    int lo = percentile(histogram, n, lowPercentile);
    int hi = percentile(histogram, n, highPercentile);
    if (hi - lo < MIN_RANGE || (lo == 0 && hi == 255)) {
      return new Stretched(image, histogram);
    }
    byte[] lut = new byte[256];
    int range = hi - lo;
    for (int v = 0; v < 256; v++) {
      int s = v <= lo ? 0 : v >= hi ? 255 : ((v - lo) * 255 + range / 2) / range;
      lut[v] = (byte) s;
    }
    int[] stretched = new int[256];
    for (int v = 0; v < 256; v++) {
      stretched[lut[v] & 0xFF] += histogram[v];
    }
    return new Stretched(applyLut(image, lut), stretched);
  }

  /** The 256-bin histogram of the image. */
  static int[] histogram(GrayImage image) {
    // Four interleaved partial histograms: pages are mostly one gray level, and incrementing the
    // same counter back to back would serialize on store-to-load forwarding.
    byte[] p = image.pixels;
    int[] h = new int[4 * 256];
    int n = p.length & ~3;
    for (int i = 0; i < n; i += 4) {
      h[p[i] & 0xFF]++;
      h[256 + (p[i + 1] & 0xFF)]++;
      h[512 + (p[i + 2] & 0xFF)]++;
      h[768 + (p[i + 3] & 0xFF)]++;
    }
    for (int i = n; i < p.length; i++) {
      h[p[i] & 0xFF]++;
    }
    int[] hist = new int[256];
    for (int v = 0; v < 256; v++) {
      hist[v] = h[v] + h[256 + v] + h[512 + v] + h[768 + v];
    }
    return hist;
  }

  /** The smallest gray level whose cumulative count reaches {@code percent}% of {@code n}. */
  static int percentile(int[] hist, long n, double percent) {
    long target = Math.max(1, Math.min(n, (long) Math.ceil(percent / 100.0 * n)));
    long cumulative = 0;
    for (int v = 0; v < 256; v++) {
      cumulative += hist[v];
      if (cumulative >= target) {
        return v;
      }
    }
    return 255;
  }

  static GrayImage applyLut(GrayImage image, byte[] lut) {
    byte[] src = image.pixels;
    byte[] dst = new byte[src.length];
    for (int i = 0; i < src.length; i++) {
      dst[i] = lut[src[i] & 0xFF];
    }
    return new GrayImage(image.width, image.height, dst);
  }
}
