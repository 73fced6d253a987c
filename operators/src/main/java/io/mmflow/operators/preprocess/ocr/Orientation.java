package io.mmflow.operators.preprocess.ocr;

/**
 * Lossless rotation by quarter turns, to apply a page orientation found elsewhere (Tesseract's OSD,
 * {@code --psm 0}). A plain index permutation, walked in square tiles so that both the reads and
 * the writes stay in cache (loop blocking: M. S. Lam, E. E. Rothberg and M. E. Wolf, "The cache
 * performance and optimizations of blocked algorithms", ASPLOS 1991).
 */
public final class Orientation {
  private static final int TILE = 64;

  private Orientation() {}

  /**
   * Rotates by {@code quarterTurns} x 90 degrees clockwise (0..3; other values are taken modulo 4).
   * One or three quarter turns swap width and height. Returns {@code image} itself for 0.
   */
  public static GrayImage rotate90(GrayImage image, int quarterTurns) {
    int q = Math.floorMod(quarterTurns, 4);
    if (q == 0) {
      return image;
    }
    int w = image.width;
    int h = image.height;
    byte[] src = image.pixels;
    byte[] dst = new byte[src.length];
    if (q == 2) {
      for (int i = 0, j = src.length - 1; j >= 0; i++, j--) {
        dst[i] = src[j];
      }
      return new GrayImage(w, h, dst);
    }
    int nw = h;
    for (int ty = 0; ty < h; ty += TILE) {
      int yEnd = Math.min(h, ty + TILE);
      for (int tx = 0; tx < w; tx += TILE) {
        int xEnd = Math.min(w, tx + TILE);
        for (int y = ty; y < yEnd; y++) {
          int p = y * w;
          for (int x = tx; x < xEnd; x++) {
            // Clockwise: (x, y) -> (h - 1 - y, x); counter-clockwise: (x, y) -> (y, w - 1 - x).
            int o = q == 1 ? x * nw + (h - 1 - y) : (w - 1 - x) * nw + y;
            dst[o] = src[p + x];
          }
        }
      }
    }
    return new GrayImage(h, w, dst);
  }
}
