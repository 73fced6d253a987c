package io.mmflow.operators.preprocess.ocr;

import java.util.Arrays;

/**
 * Skew estimation and correction for pages of text.
 *
 * <p>The estimate is the projection-profile method: W. Postl, "Detection of linear oblique
 * structures and skew scan in digitized documents", Proc. 8th ICPR, 1986, pp. 687-689, in the form
 * of D. S. Bloomberg, G. E. Kopec and L. Dasari, "Measuring document image skew and orientation",
 * Proc. SPIE 2422, 1995: the page is binarized and reduced, its dark pixels are sheared by each
 * candidate angle and projected on the vertical axis, and the angle whose profile has the largest
 * sum of squared differences between adjacent bins (text lines give sharp peaks when they are
 * horizontal) wins; a coarse sweep is refined by a fine one around the best coarse angle and a
 * parabola through the best fine angle and its neighbours.
 *
 * <p><b>Sign convention</b>: angles are in degrees, positive = counter-clockwise as the image is
 * displayed (x to the right, y down). A page whose text lines rise to the right is skewed by a
 * positive angle; {@link #rotate(GrayImage, double)} by a positive angle turns the content
 * counter-clockwise, and {@link #deskew(GrayImage, double)} rotates by the negated estimate.
 *
 * <p>Why one long file: estimation and rotation share the sign convention and the column-at-a-time
 * projection that makes the estimate cheap (docs/architecture.md, OCR); they are one algorithm.
 */
public final class Deskew {
  /** Reduced pages are at most about this wide; 1000 px keeps 0.1 degree resolution. */
  static final int WORK_WIDTH = 1000;

  /** Default resolution of the estimate, in degrees. */
  public static final double DEFAULT_STEP_DEGREES = 0.1;

  /** Estimates smaller than this (in absolute value) are not corrected by {@link #deskew}. */
  public static final double MIN_CORRECTION_DEGREES = 0.1;

  private static final double COARSE_STEP_DEGREES = 0.5;
  private static final int MIN_DARK_WEIGHT = 50;

  private Deskew() {}

  /** {@link #estimateAngle(GrayImage, double, double)} with a 0.1 degree step. */
  public static double estimateAngle(GrayImage image, double maxDegrees) {
    return estimateAngle(image, maxDegrees, DEFAULT_STEP_DEGREES);
  }

  /**
   * Estimates the skew of a page of text, in degrees within {@code [-maxDegrees, maxDegrees]},
   * positive = counter-clockwise (see the class comment). Returns 0 for a page with (almost) no
   * dark pixels.
   *
   * @param maxDegrees largest skew searched, in (0, 45]
   * @param stepDegrees resolution of the fine search, in (0, maxDegrees]; the result is further
   *     refined by parabolic interpolation
   */
  public static double estimateAngle(GrayImage image, double maxDegrees, double stepDegrees) {
    return estimateAngle(image, Contrast.histogram(image), maxDegrees, stepDegrees);
  }

  /**
   * {@link #estimateAngle(GrayImage, double, double)} given the image's 256-bin histogram (which
   * the steps before may already have), for Otsu's threshold.
   */
  static double estimateAngle(
      GrayImage image, int[] histogram, double maxDegrees, double stepDegrees) {
    if (!(maxDegrees > 0 && maxDegrees <= 45)) {
      throw new IllegalArgumentException("maxDegrees must be in (0, 45]: " + maxDegrees);
    }
    if (!(stepDegrees > 0 && stepDegrees <= maxDegrees)) {
      throw new IllegalArgumentException("stepDegrees must be in (0, maxDegrees]: " + stepDegrees);
    }
    int[] dims = new int[2];
    int[] counts = darkCounts(image, Binarization.otsuThreshold(histogram), dims);
    if (counts == null) {
      return 0;
    }
    Profile profile = new Profile(counts, dims[0], dims[1], maxDegrees);
    // The coarse sweep runs at half that resolution again: a 0.5 degree step needs no more.
    int[] halved = halve(counts, dims);
    Profile coarseProfile = new Profile(halved, dims[0], dims[1], maxDegrees);
    double coarse = Math.max(stepDegrees, Math.min(COARSE_STEP_DEGREES, maxDegrees));
    int coarseSteps = (int) Math.floor(maxDegrees / coarse + 1e-9);
    double best = 0;
    double bestScore = -1;
    for (int i = -coarseSteps; i <= coarseSteps; i++) {
      double a = i * coarse;
      double s = coarseProfile.score(a);
      if (s > bestScore || (s == bestScore && Math.abs(a) < Math.abs(best))) {
        bestScore = s;
        best = a;
      }
    }
    bestScore = profile.score(best);
    if (coarse > stepDegrees) {
      double center = best;
      int fineSteps = (int) Math.ceil(coarse / stepDegrees);
      for (int i = -fineSteps; i <= fineSteps; i++) {
        double a = center + i * stepDegrees;
        if (i == 0 || Math.abs(a) > maxDegrees) {
          continue;
        }
        double s = profile.score(a);
        if (s > bestScore) {
          bestScore = s;
          best = a;
        }
      }
    }
    // Parabolic refinement through the best angle and its two neighbours.
    double lo = best - stepDegrees;
    double hi = best + stepDegrees;
    if (lo >= -maxDegrees && hi <= maxDegrees) {
      double sLo = profile.score(lo);
      double sHi = profile.score(hi);
      double denominator = sLo - 2 * bestScore + sHi;
      if (denominator < 0) {
        double offset = 0.5 * (sLo - sHi) / denominator;
        if (Math.abs(offset) <= 1) {
          best += offset * stepDegrees;
        }
      }
    }
    return best;
  }

  /**
   * Rotates the image about its center by {@code degrees} (positive = counter-clockwise), with
   * bilinear interpolation (e.g. G. Wolberg, <i>Digital Image Warping</i>, 1990, §5.2) on the same
   * canvas; corners that come from outside the page are white. Returns {@code image} itself for 0.
   */
  public static GrayImage rotate(GrayImage image, double degrees) {
    return rotate(image, degrees, 255);
  }

  /**
   * {@link #rotate(GrayImage, double)} with corners that come from outside the page filled with
   * gray level {@code fill} (0..255).
   */
  public static GrayImage rotate(GrayImage image, double degrees, int fill) {
    if (fill < 0 || fill > 255) {
      throw new IllegalArgumentException("fill must be 0..255: " + fill);
    }
    if (degrees == 0) {
      return image;
    }
    int w = image.width;
    int h = image.height;
    byte[] src = image.pixels;
    byte[] dst = new byte[src.length];
    double rad = Math.toRadians(degrees);
    double cos = Math.cos(rad);
    double sin = Math.sin(rad);
    double cx = (w - 1) / 2.0;
    double cy = (h - 1) / 2.0;
    // Inverse mapping: output (x, y) samples the source at
    // sx = cx + dx cos - dy sin, sy = cy + dx sin + dy cos (dx = x - cx, dy = y - cy),
    // in 16.16 fixed point, stepping by (cos, sin) along a row.
    final double one = 65536.0;
    long stepX = Math.round(cos * one);
    long stepY = Math.round(sin * one);
    long limitX = (long) (w - 1) << 16;
    long limitY = (long) (h - 1) << 16;
    long[] range = new long[2];
    for (int y = 0; y < h; y++) {
      double dy = y - cy;
      long fx = Math.round((cx - cx * cos - dy * sin) * one);
      long fy = Math.round((cy - cx * sin + dy * cos) * one);
      // Columns [lo, hi) have their 2x2 neighbourhood inside the page: no bounds tests there.
      range[0] = 0;
      range[1] = w;
      inside(fx, stepX, limitX, w, range);
      inside(fy, stepY, limitY, w, range);
      int lo = (int) range[0];
      int hi = (int) range[1];
      int o = y * w;
      if (lo >= hi) {
        borderRun(src, w, h, dst, o, 0, w, fx, fy, stepX, stepY, fill);
        continue;
      }
      borderRun(src, w, h, dst, o, 0, lo, fx, fy, stepX, stepY, fill);
      interiorRun(src, w, dst, o, lo, hi, fx + lo * stepX, fy + lo * stepY, stepX, stepY);
      borderRun(src, w, h, dst, o, hi, w, fx + hi * stepX, fy + hi * stepY, stepX, stepY, fill);
    }
    return new GrayImage(w, h, dst);
  }

  /**
   * Estimates the skew within {@code +-maxDegrees} and rotates the page by its negation when it is
   * at least {@value #MIN_CORRECTION_DEGREES} degree; returns {@code image} itself otherwise. The
   * corners are filled with the page's {@link #backgroundLevel paper level} (white on a white
   * page).
   */
  public static GrayImage deskew(GrayImage image, double maxDegrees) {
    double angle = estimateAngle(image, maxDegrees, DEFAULT_STEP_DEGREES);
    return Math.abs(angle) >= MIN_CORRECTION_DEGREES
        ? rotate(image, -angle, backgroundLevel(image))
        : image;
  }

  /**
   * Narrows {@code range} ([from, to) of columns) to the x with {@code 0 <= f0 + x * step < limit}.
   */
  private static void inside(long f0, long step, long limit, int w, long[] range) {
    long from;
    long to;
    if (step > 0) {
      from = -Math.floorDiv(f0, step); // ceil(-f0 / step)
      to = -Math.floorDiv(f0 - limit, step); // ceil((limit - f0) / step)
    } else if (step < 0) {
      from = Math.floorDiv(f0 - limit, -step) + 1;
      to = Math.floorDiv(f0, -step) + 1;
    } else {
      boolean in = f0 >= 0 && f0 < limit;
      from = in ? 0 : w;
      to = in ? w : 0;
    }
    range[0] = Math.max(range[0], Math.max(0, from));
    range[1] = Math.min(range[1], Math.min(w, to));
  }

  /** Bilinear samples for columns [from, to) of one row, all neighbours inside the page. */
  private static void interiorRun(
      byte[] src, int w, byte[] dst, int o, int from, int to, long fx, long fy, long sx, long sy) {
    for (int x = from; x < to; x++, fx += sx, fy += sy) {
      int ix = (int) (fx >> 16);
      int iy = (int) (fy >> 16);
      int ax = (int) (fx >> 8) & 0xFF;
      int ay = (int) (fy >> 8) & 0xFF;
      int i = iy * w + ix;
      int p00 = src[i] & 0xFF;
      int p10 = src[i + 1] & 0xFF;
      int p01 = src[i + w] & 0xFF;
      int p11 = src[i + w + 1] & 0xFF;
      int top = (p00 << 8) + (p10 - p00) * ax;
      int bottom = (p01 << 8) + (p11 - p01) * ax;
      dst[o + x] = (byte) (((top << 8) + (bottom - top) * ay + 32768) >> 16);
    }
  }

  /** Bilinear samples for columns [from, to) of one row, neighbours outside the page = fill. */
  private static void borderRun(
      byte[] src,
      int w,
      int h,
      byte[] dst,
      int o,
      int from,
      int to,
      long fx,
      long fy,
      long sx,
      long sy,
      int fill) {
    for (int x = from; x < to; x++, fx += sx, fy += sy) {
      int ix = (int) (fx >> 16);
      int iy = (int) (fy >> 16);
      int v = fill;
      if (ix >= -1 && iy >= -1 && ix < w && iy < h) {
        int ax = (int) (fx >> 8) & 0xFF;
        int ay = (int) (fy >> 8) & 0xFF;
        int p00 = sample(src, w, h, ix, iy, fill);
        int p10 = sample(src, w, h, ix + 1, iy, fill);
        int p01 = sample(src, w, h, ix, iy + 1, fill);
        int p11 = sample(src, w, h, ix + 1, iy + 1, fill);
        int top = (p00 << 8) + (p10 - p00) * ax;
        int bottom = (p01 << 8) + (p11 - p01) * ax;
        v = ((top << 8) + (bottom - top) * ay + 32768) >> 16;
      }
      dst[o + x] = (byte) v;
    }
  }

  private static int sample(byte[] src, int w, int h, int x, int y, int fill) {
    return x < 0 || y < 0 || x >= w || y >= h ? fill : src[y * w + x] & 0xFF;
  }

  /**
   * The paper level of a page: the median of the pixels above Otsu's threshold (255 when there are
   * none). Used to fill the corners of a deskewed page: white corners on a gray page would make a
   * later global threshold (Tesseract's Otsu) take the whole page for ink.
   */
  public static int backgroundLevel(GrayImage image) {
    return backgroundLevel(Contrast.histogram(image));
  }

  /** {@link #backgroundLevel(GrayImage)} from the image's 256-bin histogram. */
  static int backgroundLevel(int[] hist) {
    int t = Binarization.otsuThreshold(hist);
    long paper = 0;
    for (int v = t + 1; v < 256; v++) {
      paper += hist[v];
    }
    if (paper == 0) {
      return 255;
    }
    long half = (paper + 1) / 2;
    long cumulative = 0;
    for (int v = t + 1; v < 256; v++) {
      cumulative += hist[v];
      if (cumulative >= half) {
        return v;
      }
    }
    return 255;
  }

  /**
   * Binarizes at {@code threshold} (levels at or below it are ink: Otsu's) and reduces by an
   * integer factor f so that the width is at most about {@link #WORK_WIDTH}: returns the number of
   * dark pixels in each f x f block, row-major, {@code rw x rh}, with rw and rh in {@code dims}.
   * Null when the page has (almost) no dark pixels, or is mostly dark (a photo or an inverted page:
   * nothing to measure reliably).
   */
  static int[] darkCounts(GrayImage image, int threshold, int[] dims) {
    int w = image.width;
    int h = image.height;
    byte[] src = image.pixels;
    int f = Math.max(1, (int) Math.ceil(w / (double) WORK_WIDTH));
    int rw = Math.max(1, w / f);
    int rh = Math.max(1, h / f);
    int fw = Math.min(w, rw * f);
    int fh = Math.min(h, rh * f);
    int[] dark = Binarization.inkTable(threshold);
    int[] counts = new int[rw * rh];
    long total = 0;
    for (int y = 0; y < fh; y++) {
      int by = (y / f) * rw;
      int p = y * w;
      for (int bx = 0; bx < rw; bx++) {
        int c = 0;
        for (int x = p + bx * f, end = x + f; x < end; x++) {
          c += dark[src[x] & 0xFF];
        }
        counts[by + bx] += c;
        total += c;
      }
    }
    if (total < MIN_DARK_WEIGHT || total > (long) fw * fh * 3 / 4) {
      return null;
    }
    dims[0] = rw;
    dims[1] = rh;
    return counts;
  }

  /** Sums 2 x 2 blocks of a count image ({@code dims} is updated to the new size). */
  private static int[] halve(int[] counts, int[] dims) {
    int rw = dims[0];
    int rh = dims[1];
    int hw = Math.max(1, rw / 2);
    int hh = Math.max(1, rh / 2);
    int[] out = new int[hw * hh];
    for (int y = 0; y < Math.min(rh, hh * 2); y++) {
      int o = (y / 2) * hw;
      int p = y * rw;
      for (int x = 0; x < Math.min(rw, hw * 2); x++) {
        out[o + x / 2] += counts[p + x];
      }
    }
    dims[0] = hw;
    dims[1] = hh;
    return out;
  }

  /** The dark blocks of a reduced page, ready to be projected. */
  private static final class Profile {
    /** The points of column c are {@code [columnStart[c], columnStart[c + 1])}. */
    private final int[] columnStart;

    private final int[] ys;
    private final float[] weights;
    private final int cx;
    private final float[] bins;
    private final float offset;

    /** The non-empty blocks of a {@code rw x rh} count image, column by column. */
    Profile(int[] counts, int rw, int rh, double maxDegrees) {
      int n = 0;
      for (int c : counts) {
        if (c > 0) {
          n++;
        }
      }
      columnStart = new int[rw + 1];
      ys = new int[n];
      weights = new float[n];
      cx = rw / 2;
      int i = 0;
      for (int x = 0; x < rw; x++) {
        columnStart[x] = i;
        for (int y = 0, p = x; y < rh; y++, p += rw) {
          int c = counts[p];
          if (c > 0) {
            ys[i] = y;
            weights[i] = c;
            i++;
          }
        }
      }
      columnStart[rw] = i;
      double maxTan = Math.tan(Math.toRadians(maxDegrees));
      int margin = (int) Math.ceil((rw / 2.0 + 1) * maxTan) + 2;
      offset = margin;
      bins = new float[rh + 2 * margin + 2];
    }

    /**
     * Postl's criterion for a skew of {@code degrees}: shear the points so that lines skewed by
     * that angle become horizontal (a line rising to the right at angle a is {@code y = y0 - x
     * tan(a)}, so it projects to {@code y + x tan(a) = y0}), project them (each split linearly
     * between two bins), and sum the squared differences of adjacent bins. All points of a column
     * move by the same {@code x tan(a)}, so they all split between their two bins in the same
     * proportion: that is worked out once a column.
     */
    double score(double degrees) {
      float tan = (float) Math.tan(Math.toRadians(degrees));
      float[] b = bins;
      Arrays.fill(b, 0f);
      int[] start = columnStart;
      int[] py = ys;
      float[] pw = weights;
      for (int c = 0; c + 1 < start.length; c++) {
        int from = start[c];
        int to = start[c + 1];
        if (from == to) {
          continue;
        }
        float shift = (c - cx) * tan + offset; // >= 2 by the margin
        int k0 = (int) shift;
        float frac = shift - k0;
        float keep = 1f - frac;
        for (int i = from; i < to; i++) {
          int k = py[i] + k0;
          float wgt = pw[i];
          b[k] += wgt * keep;
          b[k + 1] += wgt * frac;
        }
      }
      double s = 0;
      for (int k = 1; k < b.length; k++) {
        double d = b[k] - b[k - 1];
        s += d * d;
      }
      return s;
    }
  }
}
