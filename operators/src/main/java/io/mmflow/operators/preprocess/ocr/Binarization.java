package io.mmflow.operators.preprocess.ocr;

/**
 * Binarization to a two-level image (0 = ink, 255 = paper).
 *
 * <ul>
 *   <li>{@link #otsu(GrayImage)}: one global threshold that maximizes the between-class variance of
 *       the gray-level histogram, N. Otsu, "A threshold selection method from gray-level
 *       histograms", IEEE Trans. SMC 9(1):62-66, 1979.
 *   <li>{@link #sauvola(GrayImage, int, double)}: a threshold per pixel from the mean and standard
 *       deviation of its neighbourhood, J. Sauvola and M. Pietikäinen, "Adaptive document image
 *       binarization", Pattern Recognition 33(2):225-236, 2000; window sums come from integral
 *       images (summed-area tables, F. Crow, SIGGRAPH 1984), as in F. Shafait, D. Keysers and T. M.
 *       Breuel, "Efficient implementation of local adaptive thresholding techniques using integral
 *       images", Proc. SPIE 6815, 2008, so the cost per pixel does not depend on the window.
 * </ul>
 */
public final class Binarization {
  /**
   * Default Sauvola window side, in pixels, for a 300 DPI image (about 2 mm, a bit more than the
   * stroke-to-stroke distance of body text); scale it with the resolution, e.g. {@code 25 * dpi /
   * 300}.
   */
  public static final int DEFAULT_SAUVOLA_WINDOW = 25;

  /**
   * Default Sauvola k: 0.34, Tesseract's default {@code thresholding_kfactor} (the paper used 0.5,
   * which erodes thin or faint strokes).
   */
  public static final double DEFAULT_SAUVOLA_K = 0.34;

  /** Largest Sauvola window side. */
  public static final int MAX_SAUVOLA_WINDOW = 32767;

  /** Sauvola's dynamic range of the standard deviation, R = 128 for 8-bit images. */
  public static final double SAUVOLA_R = 128.0;

  private Binarization() {}

  /**
   * Otsu's global threshold: pixels {@code <=} the returned level are ink, the rest paper. When
   * several levels give the same (maximal) between-class variance, as happens when the histogram
   * has a gap between its two modes, the middle of that plateau is returned. An image with a single
   * gray level returns 127 (so a flat white page stays white and a flat black one black).
   */
  public static int otsuThreshold(GrayImage image) {
    return otsuThreshold(Contrast.histogram(image));
  }

  /**
   * 1 for each gray level that is ink under Otsu's threshold of the image whose 256-bin histogram
   * is {@code hist}, 0 for paper: a table for counting dark pixels without a branch.
   */
  static int[] otsuInkTable(int[] hist) {
    return inkTable(otsuThreshold(hist));
  }

  /** 1 for each gray level {@code <= threshold} (ink), 0 for the rest (paper). */
  static int[] inkTable(int threshold) {
    int[] ink = new int[256];
    for (int v = 0; v <= threshold; v++) {
      ink[v] = 1;
    }
    return ink;
  }

  /** {@link #otsuThreshold(GrayImage)} on a 256-bin histogram. */
  static int otsuThreshold(int[] hist) {
    long n = 0;
    double sumAll = 0;
    for (int v = 0; v < 256; v++) {
      n += hist[v];
      sumAll += (double) v * hist[v];
    }
    long countBelow = 0;
    double sumBelow = 0;
    double best = -1;
    int first = -1;
    int last = -1;
    for (int t = 0; t < 255; t++) {
      countBelow += hist[t];
      sumBelow += (double) t * hist[t];
      long countAbove = n - countBelow;
      if (countBelow == 0) {
        continue;
      }
      if (countAbove == 0) {
        break;
      }
      double meanBelow = sumBelow / countBelow;
      double meanAbove = (sumAll - sumBelow) / countAbove;
      double d = meanBelow - meanAbove;
      double between = (double) countBelow * countAbove * d * d;
      if (between > best) {
        best = between;
        first = t;
        last = t;
      } else if (between == best && last == t - 1) {
        last = t;
      }
    }
    return first < 0 ? 127 : (first + last) / 2;
  }

  /** Global Otsu binarization: 0 where the pixel is {@code <=} {@link #otsuThreshold}, else 255. */
  public static GrayImage otsu(GrayImage image) {
    return threshold(image, otsuThreshold(image));
  }

  /** 0 where the pixel is {@code <= threshold}, else 255. */
  public static GrayImage threshold(GrayImage image, int threshold) {
    byte[] lut = new byte[256];
    for (int v = 0; v < 256; v++) {
      lut[v] = (byte) (v <= threshold ? 0 : 255);
    }
    return Contrast.applyLut(image, lut);
  }

  /**
   * {@link #sauvola(GrayImage, int, double)} with window {@value #DEFAULT_SAUVOLA_WINDOW} and k
   * {@value #DEFAULT_SAUVOLA_K}.
   */
  public static GrayImage sauvola(GrayImage image) {
    return sauvola(image, DEFAULT_SAUVOLA_WINDOW, DEFAULT_SAUVOLA_K);
  }

  /**
   * Sauvola's adaptive binarization: a pixel is ink (0) when it is {@code <=} {@code T = m * (1 + k
   * * (s / R - 1))}, with m and s the mean and standard deviation of the {@code window x window}
   * neighbourhood centered on it (clipped at the image border) and R = {@value #SAUVOLA_R}; paper
   * (255) otherwise.
   *
   * @param window side of the neighbourhood in pixels (an even value is rounded up to odd); default
   *     {@value #DEFAULT_SAUVOLA_WINDOW} at 300 DPI, scale it with the resolution
   * @param k sensitivity to local contrast, default {@value #DEFAULT_SAUVOLA_K}; larger values make
   *     low-contrast regions whiter
   */
  public static GrayImage sauvola(GrayImage image, int window, double k) {
    if (window < 1 || window > MAX_SAUVOLA_WINDOW) {
      throw new IllegalArgumentException(
          "window must be in [1, " + MAX_SAUVOLA_WINDOW + "]: " + window);
    }
    if (!(k >= 0 && k <= 1)) {
      throw new IllegalArgumentException("k must be in [0, 1]: " + k);
    }
    int w = image.width;
    int h = image.height;
    byte[] src = image.pixels;
    int r = Math.min(window / 2, Math.max(w, h));
    // The window sums are differences of integral images taken one row at a time: colSum/colSq hold
    // per column the sum (of squares) of the rows in the window, updated by one row in and one row
    // out per image row; along the row, s1/s2 slide by one column in and one out. O(1) per pixel,
    // O(width) memory. A column holds at most 32767 rows, so 32767 * 255^2 fits an int.
    int[] colSum = new int[w];
    int[] colSq = new int[w];
    double[] invCols = new double[w];
    for (int x = 0; x < w; x++) {
      invCols[x] = 1.0 / (Math.min(w, x + r + 1) - Math.max(0, x - r));
    }
    for (int y = 0; y < Math.min(h, r); y++) {
      updateColumns(src, w, y * w, -1, colSum, colSq);
    }
    byte[] dst = new byte[src.length];
    double oneMinusK = 1 - k;
    double kOverR = k / SAUVOLA_R;
    for (int y = 0; y < h; y++) {
      updateColumns(
          src, w, y + r < h ? (y + r) * w : -1, y > r ? (y - r - 1) * w : -1, colSum, colSq);
      double invRows = 1.0 / (Math.min(h, y + r + 1) - Math.max(0, y - r));
      sauvolaRow(src, dst, y * w, w, r, colSum, colSq, invRows, invCols, oneMinusK, kOverR);
    }
    return new GrayImage(w, h, dst);
  }

  /** Thresholds one row, sliding the window sums of the column sums along it. */
  private static void sauvolaRow(
      byte[] src,
      byte[] dst,
      int p,
      int w,
      int r,
      int[] colSum,
      int[] colSq,
      double invRows,
      double[] invCols,
      double oneMinusK,
      double kOverR) {
    long s1 = 0;
    long s2 = 0;
    for (int x = 0, end = Math.min(w, r); x < end; x++) {
      s1 += colSum[x];
      s2 += colSq[x];
    }
    int x = 0;
    if (2 * r >= w) {
      // Window wider than the image: every column is a border column.
      for (; x < w; x++) {
        if (x + r < w) {
          s1 += colSum[x + r];
          s2 += colSq[x + r];
        }
        if (x - r - 1 >= 0) {
          s1 -= colSum[x - r - 1];
          s2 -= colSq[x - r - 1];
        }
        dst[p + x] = sauvolaPixel(src[p + x], s1, s2, invRows * invCols[x], oneMinusK, kOverR);
      }
      return;
    }
    // Three loops without ifs inside: the shape C2 optimizes best (an if in the loop, or a
    // precomputed bound instead of w - r, costs about 40%).
    // Left border: columns enter the window, none leaves it.
    for (; x <= r; x++) {
      s1 += colSum[x + r];
      s2 += colSq[x + r];
      dst[p + x] = sauvolaPixel(src[p + x], s1, s2, invRows * invCols[x], oneMinusK, kOverR);
    }
    // Interior: one column in, one out, constant window size.
    double inv = invRows / (2 * r + 1);
    for (; x < w - r; x++) {
      s1 += colSum[x + r] - colSum[x - r - 1];
      s2 += colSq[x + r] - colSq[x - r - 1];
      dst[p + x] = sauvolaPixel(src[p + x], s1, s2, inv, oneMinusK, kOverR);
    }
    // Right border: columns leave the window, none enters it.
    for (; x < w; x++) {
      s1 -= colSum[x - r - 1];
      s2 -= colSq[x - r - 1];
      dst[p + x] = sauvolaPixel(src[p + x], s1, s2, invRows * invCols[x], oneMinusK, kOverR);
    }
  }

  /**
   * Sauvola's test {@code v <= m (1 - k + k s / R)} without a square root: with {@code a = v - m (1
   * - k)} and {@code b = m k / R}, the pixel is ink when {@code a <= 0} or {@code a^2 <= b^2 s^2}.
   * {@code inv} is 1 / (pixels in the window).
   */
  private static byte sauvolaPixel(
      byte pixel, long sum, long sumSq, double inv, double oneMinusK, double kOverR) {
    double mean = sum * inv;
    double variance = sumSq * inv - mean * mean;
    double a = (pixel & 0xFF) - mean * oneMinusK;
    double b = mean * kOverR;
    return (byte) ((a <= 0) | (a * a <= b * b * variance) ? 0 : 255);
  }

  /** Adds the row starting at {@code add} and subtracts the one at {@code remove} (-1: none). */
  private static void updateColumns(
      byte[] src, int w, int add, int remove, int[] colSum, int[] colSq) {
    if (add >= 0) {
      for (int x = 0; x < w; x++) {
        int v = src[add + x] & 0xFF;
        colSum[x] += v;
        colSq[x] += v * v;
      }
    }
    if (remove >= 0) {
      for (int x = 0; x < w; x++) {
        int v = src[remove + x] & 0xFF;
        colSum[x] -= v;
        colSq[x] -= v * v;
      }
    }
  }
}
