package io.mmflow.operators.preprocess.ocr;

import io.mmflow.core.model.BoundingBox;
import java.util.Arrays;

/**
 * Finds the part of a page that holds its content, so that OCR is not spent on empty margins.
 *
 * <p>The method is the border-removal step of document image pipelines in its simplest form, the
 * bounding box of the page's ink, counted in small windows (cf. F. Shafait, J. van Beusekom, D.
 * Keysers and T. M. Breuel, "Document cleanup using page frame detection", IJDAR 11(2), 2008,
 * without its page-frame model): ink is counted in windows of about 1/19 inch (16 px at 300 DPI)
 * placed every half window, and a window is content when at least 1/16 of its pixels are ink. The
 * overlap is what keeps a lone small mark (a page number, a hyphen, an "l"): it lies whole in some
 * window, where on a grid of blocks its ink could be split among four of them. Ink is any level
 * darker than halfway between Otsu's threshold and the paper level, more lenient than the
 * binarization Tesseract does next, so that faint text near the edges is kept. Isolated specks do
 * not reach 1/16 of a window: the generator's noisy pages (Gaussian noise of sigma 25, then 1% salt
 * and pepper) put ~2.6 such pixels in a 16 x 16 window on average, and 16 or more in about one
 * window in 10^7 (Poisson), while a lone glyph of text from 6 pt up (an "l", a hyphen) has 16 ink
 * pixels or more. (Sauvola's binarization, off by default, leaves more specks than that in the
 * margins of a noisy page: such pages are then given to Tesseract whole, as without the crop.) The
 * box is then widened by {@link #PADDING_INCHES} on each side (Tesseract wants a white border
 * around text). It is found from the page's edges inward, so the pixels visited are mostly those of
 * the margins it cuts.
 *
 * <p>Tesseract's work outside the text (thresholding, connected components, its search for image
 * regions) grows with the pixels it gets: on the bench's pages, whose margins are an inch, the box
 * has 40-60% of the pixels and Tesseract's own time drops by 6-7% with the same accuracy; finding
 * the box takes ~1.2 ms (docs/benchmarks.md). Only where the box saves at least {@link #MIN_SAVING}
 * of the page's pixels is it used.
 */
public final class ContentCrop {
  /**
   * Cell side at 300 DPI, in pixels, scaled with the resolution; ink is counted in windows of 2 x 2
   * cells (16 x 16 px) placed every cell, so that any mark up to a cell across lies whole in one
   * window wherever it falls on the grid, and of a larger one some window holds a cell's width.
   */
  static final int CELL_AT_300_DPI = 8;

  /** White border kept around the content, in inches (30 px at 300 DPI). */
  static final double PADDING_INCHES = 0.1;

  /** Crops that keep more than 1 - this of the page's pixels are not worth a region. */
  static final double MIN_SAVING = 0.05;

  private ContentCrop() {}

  /** The whole of an image of the given size, as a box. */
  public static BoundingBox whole(int width, int height) {
    return new BoundingBox(0, 0, width, height);
  }

  /** Whether {@code box} is the whole of an image of the given size. */
  public static boolean isWhole(BoundingBox box, int width, int height) {
    return box.equals(whole(width, height));
  }

  /** The box as the preprocessing steps name it: {@code WxH+X+Y}. */
  public static String describe(BoundingBox box) {
    return box.width() + "x" + box.height() + "+" + box.x() + "+" + box.y();
  }

  /**
   * The content box of {@code image} at {@code dpi} ({@code <= 0}: 300 assumed), whose 256-bin
   * histogram (or one of the page it was made from by a geometric step or the median filter: only
   * its Otsu threshold and paper level are used) is {@code histogram}. The whole image when the
   * page has no content (nothing to gain, and Tesseract then says so itself) or when the box would
   * save less than {@link #MIN_SAVING} of the pixels.
   */
  public static BoundingBox find(GrayImage image, int[] histogram, int dpi) {
    int w = image.width;
    int h = image.height;
    BoundingBox whole = whole(w, h);
    int resolution = dpi > 0 ? dpi : OcrPreprocessor.ASSUMED_DPI;
    int cell = Math.max(2, (int) Math.round(CELL_AT_300_DPI * resolution / 300.0));
    if (w < 8 * cell || h < 8 * cell) {
      return whole;
    }
    int otsu = Binarization.otsuThreshold(histogram);
    int paper = Deskew.backgroundLevel(histogram);
    if (paper <= otsu) {
      return whole;
    }
    int[] ink = Binarization.inkTable((otsu + paper) / 2);
    // 1/16 of a window of 2 x 2 cells
    int minInk = Math.max(1, cell * cell / 4);
    byte[] px = image.pixels;
    int cols = (w + cell - 1) / cell;
    int rows = (h + cell - 1) / cell;

    // rows of cells from the top down, then from the bottom up: a window is two rows of cells
    CellLine rowsOfCells =
        (r, out) -> rowCells(px, w, r * cell, Math.min(h, (r + 1) * cell), cell, ink, out);
    int first = firstWithContent(rowsOfCells, cols, 0, rows, 1, minInk);
    if (first < 0) {
      return whole;
    }
    int top = Math.max(0, (first - 1) * cell);
    int bottom = Math.min(h, top + 2 * cell); // exclusive
    int last = firstWithContent(rowsOfCells, cols, rows - 1, top / cell, -1, minInk);
    if (last >= 0) {
      bottom = Math.max(bottom, Math.min(h, (last + 2) * cell));
    }
    // then columns of cells over those rows, from the left and from the right
    int finalTop = top;
    int finalBottom = bottom;
    CellLine columnsOfCells =
        (c, out) ->
            columnCells(
                px,
                w,
                c * cell,
                Math.min(w, (c + 1) * cell),
                finalTop,
                finalBottom,
                cell,
                ink,
                out);
    int bands = (bottom - top + cell - 1) / cell;
    first = firstWithContent(columnsOfCells, bands, 0, cols, 1, minInk);
    int left = Math.max(0, (first - 1) * cell);
    int right = Math.min(w, left + 2 * cell); // exclusive
    last = firstWithContent(columnsOfCells, bands, cols - 1, left / cell, -1, minInk);
    if (last >= 0) {
      right = Math.max(right, Math.min(w, (last + 2) * cell));
    }
    int pad = Math.max(10, (int) Math.round(PADDING_INCHES * resolution));
    left = Math.max(0, left - pad);
    top = Math.max(0, top - pad);
    right = Math.min(w, right + pad);
    bottom = Math.min(h, bottom + pad);
    long kept = (long) (right - left) * (bottom - top);
    if (kept > (1 - MIN_SAVING) * w * h) {
      return whole;
    }
    return new BoundingBox(left, top, right - left, bottom - top);
  }

  /**
   * A row or a column of cells: {@code fill(i, out)} puts the ink of each cell of line i in out.
   */
  private interface CellLine {
    void fill(int index, int[] out);
  }

  /**
   * The first line of cells, from {@code from} by {@code step} (1 or -1) to {@code stop}
   * (exclusive), that has a content window with the line before it in that order (none before the
   * first); -1 when none has.
   */
  private static int firstWithContent(
      CellLine lines, int length, int from, int stop, int step, int minInk) {
    int[] previous = new int[length];
    int[] current = new int[length];
    for (int i = from; step > 0 ? i < stop : i > stop; i += step) {
      lines.fill(i, current);
      if (windowHas(previous, current, minInk)) {
        return i;
      }
      int[] t = previous;
      previous = current;
      current = t;
    }
    return -1;
  }

  /**
   * Whether two neighbouring lines of cells ({@code a} and {@code b}, the same length) have a
   * window of 2 x 2 cells, or at their end of 1 x 2, with at least {@code minInk} ink pixels.
   */
  private static boolean windowHas(int[] a, int[] b, int minInk) {
    int n = a.length;
    for (int i = 0; i < n; i++) {
      int sum = a[i] + b[i] + (i + 1 < n ? a[i + 1] + b[i + 1] : 0);
      if (sum >= minInk) {
        return true;
      }
    }
    return false;
  }

  /** The ink of each cell of rows {@code [y0, y1)}, left to right, into {@code out}. */
  private static void rowCells(byte[] px, int w, int y0, int y1, int cell, int[] ink, int[] out) {
    Arrays.fill(out, 0);
    for (int y = y0; y < y1; y++) {
      int p = y * w;
      for (int c = 0, x = 0; c < out.length; c++) {
        int count = 0;
        for (int end = Math.min(w, x + cell); x < end; x++) {
          count += ink[px[p + x] & 0xFF];
        }
        out[c] += count;
      }
    }
  }

  /**
   * The ink of each cell of columns {@code [x0, x1)} between rows {@code top} and {@code bottom},
   * top to bottom, into {@code out}.
   */
  private static void columnCells(
      byte[] px, int w, int x0, int x1, int top, int bottom, int cell, int[] ink, int[] out) {
    for (int c = 0; c < out.length; c++) {
      int count = 0;
      for (int y = top + c * cell, end = Math.min(bottom, y + cell); y < end; y++) {
        for (int p = y * w + x0, stop = y * w + x1; p < stop; p++) {
          count += ink[px[p] & 0xFF];
        }
      }
      out[c] = count;
    }
  }
}
