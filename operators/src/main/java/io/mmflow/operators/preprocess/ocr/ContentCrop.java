package io.mmflow.operators.preprocess.ocr;

/**
 * Finds the part of a page that holds its content, so that OCR is not spent on empty margins.
 *
 * <p>The method is the border-removal step of document image pipelines in its simplest form, the
 * bounding box of the page's ink at block resolution (cf. F. Shafait, J. van Beusekom, D. Keysers
 * and T. M. Breuel, "Document cleanup using page frame detection", IJDAR 11(2), 2008, without its
 * page-frame model): the page is divided into blocks of about 1/19 inch (16 px at 300 DPI), and a
 * block is content when at least 1/16 of its pixels are ink. Ink is any level darker than halfway
 * between Otsu's threshold and the paper level, more lenient than the binarization Tesseract does
 * next, so that faint text near the edges is kept. Isolated specks do not reach 1/16 of a block:
 * the generator's noisy pages (Gaussian noise of sigma 25, then 1% salt and pepper) put ~2.6 such
 * pixels in a 16 x 16 block on average, and 16 or more in about one block in 10^7 (Poisson), while
 * a glyph of text from 6 pt up fills a block or more. The box is then widened by {@link
 * #PADDING_INCHES} on each side (Tesseract wants a white border around text). It is found from the
 * page's edges inward, so the pixels visited are mostly those of the margins it cuts.
 *
 * <p>Tesseract's work outside the text (thresholding, connected components, its search for image
 * regions) grows with the pixels it gets: on the bench's pages, whose margins are an inch, the box
 * has 40-60% of the pixels and Tesseract's own time drops by ~7% with the same accuracy; finding
 * the box takes ~1 ms (docs/benchmarks.md). Only where the box saves at least {@link #MIN_SAVING}
 * of the page's pixels is it used.
 */
public final class ContentCrop {
  /** Block side at 300 DPI, in pixels; scaled with the resolution. */
  static final int BLOCK_AT_300_DPI = 16;

  /** White border kept around the content, in inches (30 px at 300 DPI). */
  static final double PADDING_INCHES = 0.1;

  /** Crops that keep more than 1 - this of the page's pixels are not worth a region. */
  static final double MIN_SAVING = 0.05;

  private ContentCrop() {}

  /**
   * A rectangle of a page, in pixels.
   *
   * @param left first column
   * @param top first row
   * @param width columns
   * @param height rows
   */
  public record Box(int left, int top, int width, int height) {
    /** The whole of an image of the given size. */
    public static Box whole(int width, int height) {
      return new Box(0, 0, width, height);
    }

    /** Whether this is the whole of an image of the given size. */
    public boolean isWhole(int imageWidth, int imageHeight) {
      return left == 0 && top == 0 && width == imageWidth && height == imageHeight;
    }

    @Override
    public String toString() {
      return width + "x" + height + "+" + left + "+" + top;
    }
  }

  /**
   * The content box of {@code image} at {@code dpi} ({@code <= 0}: 300 assumed), whose 256-bin
   * histogram (or one of the page it was made from by a geometric step: only its Otsu threshold and
   * paper level are used) is {@code histogram}. The whole image when the page has no content
   * (nothing to gain, and Tesseract then says so itself) or when the box would save less than
   * {@link #MIN_SAVING} of the pixels.
   */
  public static Box find(GrayImage image, int[] histogram, int dpi) {
    int w = image.width;
    int h = image.height;
    Box whole = Box.whole(w, h);
    int resolution = dpi > 0 ? dpi : OcrPreprocessor.ASSUMED_DPI;
    int block = Math.max(4, (int) Math.round(BLOCK_AT_300_DPI * resolution / 300.0));
    if (w < 4 * block || h < 4 * block) {
      return whole;
    }
    int otsu = Binarization.otsuThreshold(histogram);
    int paper = Deskew.backgroundLevel(histogram);
    if (paper <= otsu) {
      return whole;
    }
    int[] ink = Binarization.inkTable((otsu + paper) / 2);
    int minInk = Math.max(1, block * block / 16);
    byte[] px = image.pixels;

    int top = -1;
    for (int y = 0; y < h && top < 0; y += block) {
      if (rowBandHasContent(px, w, y, Math.min(h, y + block), block, ink, minInk)) {
        top = y;
      }
    }
    if (top < 0) {
      return whole;
    }
    int bottom = Math.min(h, top + block); // exclusive
    for (int y = (h - 1) / block * block; y > top; y -= block) {
      if (rowBandHasContent(px, w, y, Math.min(h, y + block), block, ink, minInk)) {
        bottom = Math.min(h, y + block);
        break;
      }
    }
    int left = 0;
    for (int x = 0; x < w; x += block) {
      if (columnBandHasContent(px, w, x, Math.min(w, x + block), top, bottom, block, ink, minInk)) {
        left = x;
        break;
      }
    }
    int right = Math.min(w, left + block); // exclusive
    for (int x = (w - 1) / block * block; x > left; x -= block) {
      if (columnBandHasContent(px, w, x, Math.min(w, x + block), top, bottom, block, ink, minInk)) {
        right = Math.min(w, x + block);
        break;
      }
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
    return new Box(left, top, right - left, bottom - top);
  }

  /** Whether a block of rows {@code [y0, y1)}, cut into blocks across, has a content block. */
  private static boolean rowBandHasContent(
      byte[] px, int w, int y0, int y1, int block, int[] ink, int minInk) {
    int blocks = (w + block - 1) / block;
    int[] counts = new int[blocks];
    for (int y = y0; y < y1; y++) {
      int p = y * w;
      for (int b = 0, x = 0; b < blocks; b++) {
        int c = 0;
        for (int end = Math.min(w, x + block); x < end; x++) {
          c += ink[px[p + x] & 0xFF];
        }
        counts[b] += c;
      }
    }
    for (int c : counts) {
      if (c >= minInk) {
        return true;
      }
    }
    return false;
  }

  /** Whether columns {@code [x0, x1)} of rows {@code [top, bottom)} have a content block. */
  private static boolean columnBandHasContent(
      byte[] px, int w, int x0, int x1, int top, int bottom, int block, int[] ink, int minInk) {
    for (int y = top; y < bottom; y += block) {
      int c = 0;
      for (int yy = y, end = Math.min(bottom, y + block); yy < end; yy++) {
        for (int p = yy * w + x0, stop = yy * w + x1; p < stop; p++) {
          c += ink[px[p] & 0xFF];
        }
      }
      if (c >= minInk) {
        return true;
      }
    }
    return false;
  }
}
