package io.mmflow.model.ocr;

import static io.mmflow.core.util.Checks.checkArgument;
import static java.util.Objects.requireNonNull;

import io.mmflow.core.model.BoundingBox;

/**
 * A grayscale page for Tesseract: row-major 8-bit pixels, 0 black, of which the rectangle {@code
 * region} is recognized (the whole page unless a caller cropped it to its content). Word and line
 * boxes are given in the page's coordinates either way.
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
 * @param region the part recognized, inside the page
 */
public record OcrImage(
    byte[] pixels, int width, int height, int dpi, boolean twoLevel, BoundingBox region) {
  /** An 8-bit grayscale page that Tesseract binarizes itself. */
  public OcrImage(byte[] pixels, int width, int height, int dpi) {
    this(pixels, width, height, dpi, false);
  }

  /** A whole page. */
  public OcrImage(byte[] pixels, int width, int height, int dpi, boolean twoLevel) {
    this(pixels, width, height, dpi, twoLevel, new BoundingBox(0, 0, width, height));
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
    requireNonNull(region, "region is null");
    checkArgument(
        region.x() >= 0
            && region.y() >= 0
            && region.width() > 0
            && region.height() > 0
            && region.x() + region.width() <= width
            && region.y() + region.height() <= height,
        "region %sx%s+%s+%s is not inside the %sx%s page",
        region.width(),
        region.height(),
        region.x(),
        region.y(),
        width,
        height);
  }

  /** The same page with only the given rectangle to recognize. */
  public OcrImage region(BoundingBox part) {
    return new OcrImage(pixels, width, height, dpi, twoLevel, part);
  }

  /** Whether the whole page is recognized. */
  public boolean whole() {
    return region.equals(new BoundingBox(0, 0, width, height));
  }
}
