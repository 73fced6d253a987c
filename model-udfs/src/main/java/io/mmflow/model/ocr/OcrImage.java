package io.mmflow.model.ocr;

import static io.mmflow.core.util.Checks.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * A grayscale page for Tesseract: row-major 8-bit pixels, 0 black.
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
 */
public record OcrImage(byte[] pixels, int width, int height, int dpi, boolean twoLevel) {
  /** An 8-bit grayscale page that Tesseract binarizes itself. */
  public OcrImage(byte[] pixels, int width, int height, int dpi) {
    this(pixels, width, height, dpi, false);
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
  }
}
