package io.mmflow.model.ocr;

import static io.mmflow.core.util.Checks.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * A grayscale page for Tesseract: row-major 8-bit pixels, 0 black, of which the rectangle {@code
 * left, top, regionWidth x regionHeight} is recognized (the whole page unless a caller cropped it
 * to its content). Word and line boxes are given in the page's coordinates either way.
 *
 * @param pixels width * height bytes
 * @param width in pixels
 * @param height in pixels
 * @param dpi resolution, told to Tesseract (it sizes its filters by it)
 * @param twoLevel the page is already binarized: every pixel is 0 (ink) or 255 (paper). Tesseract
 *     then gets it as a 1-bit image and skips its own thresholding, which on an 8-bit image costs
 *     about 15 ms per 300-DPI page and gives the same two levels back (its text recognizer reads
 *     the two-level image either way). A pixel of any other value counts as paper when it is 128 or
 *     more
 * @param left first column of the part recognized
 * @param top first row of the part recognized
 * @param regionWidth columns of the part recognized
 * @param regionHeight rows of the part recognized
 */
public record OcrImage(
    byte[] pixels,
    int width,
    int height,
    int dpi,
    boolean twoLevel,
    int left,
    int top,
    int regionWidth,
    int regionHeight) {
  /** An 8-bit grayscale page that Tesseract binarizes itself. */
  public OcrImage(byte[] pixels, int width, int height, int dpi) {
    this(pixels, width, height, dpi, false);
  }

  /** A whole page. */
  public OcrImage(byte[] pixels, int width, int height, int dpi, boolean twoLevel) {
    this(pixels, width, height, dpi, twoLevel, 0, 0, width, height);
  }

  public OcrImage {
    requireNonNull(pixels, "pixels is null");
    checkArgument(width > 0 && height > 0, "image size must be > 0: %sx%s", width, height);
    checkArgument(
        pixels.length == width * height,
        "expected %s pixels for %sx%s, got %s",
        width * height,
        width,
        height,
        pixels.length);
    checkArgument(dpi > 0, "dpi must be > 0: %s", dpi);
    checkArgument(
        left >= 0
            && top >= 0
            && regionWidth > 0
            && regionHeight > 0
            && left + regionWidth <= width
            && top + regionHeight <= height,
        "region %sx%s+%s+%s is not inside the %sx%s page",
        regionWidth,
        regionHeight,
        left,
        top,
        width,
        height);
  }

  /** The same page with only the given rectangle to recognize. */
  public OcrImage region(int left, int top, int regionWidth, int regionHeight) {
    return new OcrImage(pixels, width, height, dpi, twoLevel, left, top, regionWidth, regionHeight);
  }

  /** Whether the whole page is recognized. */
  public boolean whole() {
    return left == 0 && top == 0 && regionWidth == width && regionHeight == height;
  }
}
