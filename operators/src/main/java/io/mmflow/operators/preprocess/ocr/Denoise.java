package io.mmflow.operators.preprocess.ocr;

/**
 * Noise removal.
 *
 * <p>{@link #median3x3(GrayImage)} is the 3x3 median filter (J. W. Tukey, <i>Exploratory Data
 * Analysis</i>, 1977), computed with the exchange network of A. W. Paeth, "Median finding on a 3x3
 * grid", <i>Graphics Gems</i>, 1990 (N. Devillard's {@code opt_med9}, 1998): each column of three
 * is sorted, and the median of the nine is the median of (the largest column minimum, the median of
 * the column medians, the smallest column maximum). A sorted column is shared by the three windows
 * that contain it, so a pixel costs about 15 min/max operations.
 */
public final class Denoise {
  private Denoise() {}

  /**
   * The 3x3 median of every interior pixel; the one-pixel border is copied unchanged. Removes
   * isolated salt-and-pepper specks while keeping strokes at least two pixels wide. Images thinner
   * than 3 pixels are returned as they are.
   */
  public static GrayImage median3x3(GrayImage image) {
    int w = image.width;
    int h = image.height;
    byte[] src = image.pixels;
    if (w < 3 || h < 3) {
      return image;
    }
    byte[] dst = src.clone();
    for (int y = 1; y < h - 1; y++) {
      int r0 = (y - 1) * w;
      int r1 = y * w;
      int r2 = (y + 1) * w;
      // Sorted columns x - 1 (a) and x (b); c is the column x + 1, sorted in the loop.
      int a0 = src[r0] & 0xFF;
      int a1 = src[r1] & 0xFF;
      int a2 = src[r2] & 0xFF;
      int aLo = Math.min(Math.min(a0, a1), a2);
      int aHi = Math.max(Math.max(a0, a1), a2);
      int aMid = a0 + a1 + a2 - aLo - aHi;
      int b0 = src[r0 + 1] & 0xFF;
      int b1 = src[r1 + 1] & 0xFF;
      int b2 = src[r2 + 1] & 0xFF;
      int bLo = Math.min(Math.min(b0, b1), b2);
      int bHi = Math.max(Math.max(b0, b1), b2);
      int bMid = b0 + b1 + b2 - bLo - bHi;
      for (int x = 1; x < w - 1; x++) {
        int c0 = src[r0 + x + 1] & 0xFF;
        int c1 = src[r1 + x + 1] & 0xFF;
        int c2 = src[r2 + x + 1] & 0xFF;
        int cLo = Math.min(Math.min(c0, c1), c2);
        int cHi = Math.max(Math.max(c0, c1), c2);
        int cMid = c0 + c1 + c2 - cLo - cHi;
        int maxLo = Math.max(Math.max(aLo, bLo), cLo);
        int minHi = Math.min(Math.min(aHi, bHi), cHi);
        int medMid = median3(aMid, bMid, cMid);
        dst[r1 + x] = (byte) median3(maxLo, medMid, minHi);
        aLo = bLo;
        aMid = bMid;
        aHi = bHi;
        bLo = cLo;
        bMid = cMid;
        bHi = cHi;
      }
    }
    return new GrayImage(w, h, dst);
  }

  private static int median3(int a, int b, int c) {
    return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
  }
}
