package io.mmflow.operators.preprocess.ocr;

import java.util.Arrays;

/**
 * Resampling to a target resolution (Tesseract reads best at about 300 DPI, with x-heights of 20 px
 * or more).
 *
 * <p>Separable resampling (G. Wolberg, <i>Digital Image Warping</i>, 1990, ch. 5), one axis at a
 * time with precomputed taps in 14-bit fixed point:
 *
 * <ul>
 *   <li>reducing an axis: area averaging (a box filter as wide as one output pixel), each source
 *       pixel weighted by how much of it the output pixel covers; this is the exact integral of the
 *       piecewise-constant image, so it does not alias the way point sampling does;
 *   <li>enlarging an axis: bilinear interpolation between the two nearest source pixel centers
 *       (pixel centers aligned, edges clamped).
 * </ul>
 */
public final class Scaling {
  private static final int BITS = 14;
  private static final int ONE = 1 << BITS;

  private Scaling() {}

  /**
   * Resamples by {@code targetDpi / sourceDpi}: the new size is the old one times that factor,
   * rounded (at least 1 px). Returns {@code image} itself when the two resolutions are equal.
   */
  public static GrayImage toDpi(GrayImage image, int sourceDpi, int targetDpi) {
    if (sourceDpi <= 0 || targetDpi <= 0) {
      throw new IllegalArgumentException("DPI must be positive: " + sourceDpi + ", " + targetDpi);
    }
    if (sourceDpi == targetDpi) {
      return image;
    }
    double f = (double) targetDpi / sourceDpi;
    int nw = (int) Math.max(1, Math.round(image.width * f));
    int nh = (int) Math.max(1, Math.round(image.height * f));
    return resize(image, nw, nh);
  }

  /**
   * Resamples to {@code newWidth x newHeight} (area averaging on reduced axes, bilinear on enlarged
   * ones). Returns {@code image} itself when the size does not change.
   */
  public static GrayImage resize(GrayImage image, int newWidth, int newHeight) {
    if (newWidth <= 0 || newHeight <= 0) {
      throw new IllegalArgumentException("size must be positive: " + newWidth + "x" + newHeight);
    }
    int w = image.width;
    int h = image.height;
    if (newWidth == w && newHeight == h) {
      return image;
    }
    byte[] src = image.pixels;
    // Horizontal pass into 8.8 fixed point, then vertical pass back to bytes.
    Taps tx = Taps.of(w, newWidth);
    int[] mid = new int[Math.multiplyExact(newWidth, h)];
    for (int y = 0; y < h; y++) {
      int p = y * w;
      int o = y * newWidth;
      for (int x = 0; x < newWidth; x++) {
        int start = p + tx.start[x];
        int t = x * tx.size;
        int sum = 0;
        for (int k = 0; k < tx.size; k++) {
          sum += (src[start + k] & 0xFF) * tx.weight[t + k];
        }
        mid[o + x] = (sum + (1 << (BITS - 9))) >> (BITS - 8);
      }
    }
    Taps ty = Taps.of(h, newHeight);
    byte[] dst = new byte[Math.multiplyExact(newWidth, newHeight)];
    int[] acc = new int[newWidth];
    for (int y = 0; y < newHeight; y++) {
      // Whole rows at a time: simple loops over x that the JIT vectorizes.
      Arrays.fill(acc, 1 << (BITS + 7));
      for (int k = 0; k < ty.size; k++) {
        int wk = ty.weight[y * ty.size + k];
        if (wk != 0) {
          accumulate(mid, (ty.start[y] + k) * newWidth, wk, acc);
        }
      }
      int o = y * newWidth;
      for (int x = 0; x < newWidth; x++) {
        int v = acc[x] >> (BITS + 8);
        dst[o + x] = (byte) (v > 255 ? 255 : Math.max(v, 0));
      }
    }
    return new GrayImage(newWidth, newHeight, dst);
  }

  private static void accumulate(int[] src, int from, int weight, int[] acc) {
    for (int x = 0; x < acc.length; x++) {
      acc[x] += src[from + x] * weight;
    }
  }

  /** For each output pixel of one axis: the first source pixel and {@code size} weights. */
  private static final class Taps {
    final int size;
    final int[] start;
    final int[] weight;

    private Taps(int size, int[] start, int[] weight) {
      this.size = size;
      this.start = start;
      this.weight = weight;
    }

    static Taps of(int in, int out) {
      int[] start = new int[out];
      if (out == in || in == 1) {
        int[] weight = new int[out];
        for (int i = 0; i < out; i++) {
          start[i] = in == 1 ? 0 : i;
          weight[i] = ONE;
        }
        return new Taps(1, start, weight);
      }
      double scale = (double) in / out;
      if (out < in) {
        int size = Math.min(in, (int) Math.ceil(scale) + 1);
        int[] weight = new int[out * size];
        double[] cover = new double[size];
        for (int i = 0; i < out; i++) {
          double a = i * scale;
          double b = Math.min(in, (i + 1) * scale);
          int first = (int) Math.floor(a);
          start[i] = Math.max(0, Math.min(first, in - size));
          int s = start[i];
          double total = 0;
          for (int k = 0; k < size; k++) {
            int j = s + k;
            double c = j >= in ? 0 : Math.max(0, Math.min(b, j + 1) - Math.max(a, j));
            cover[k] = c;
            total += c;
          }
          normalize(cover, total, weight, i * size);
        }
        return new Taps(size, start, weight);
      }
      int size = 2;
      int[] weight = new int[out * size];
      double[] cover = new double[size];
      for (int i = 0; i < out; i++) {
        double c = (i + 0.5) * scale - 0.5;
        c = Math.max(0, Math.min(in - 1, c));
        int j = Math.min((int) Math.floor(c), in - 2);
        double frac = c - j;
        start[i] = j;
        cover[0] = 1 - frac;
        cover[1] = frac;
        normalize(cover, 1, weight, i * size);
      }
      return new Taps(size, start, weight);
    }

    /** Fixed-point weights that sum to exactly {@link #ONE}. */
    private static void normalize(double[] cover, double total, int[] weight, int at) {
      int sum = 0;
      int largest = 0;
      for (int k = 0; k < cover.length; k++) {
        int wk = (int) Math.round(cover[k] / total * ONE);
        weight[at + k] = wk;
        sum += wk;
        if (wk > weight[at + largest]) {
          largest = k;
        }
      }
      weight[at + largest] += ONE - sum;
    }
  }
}
