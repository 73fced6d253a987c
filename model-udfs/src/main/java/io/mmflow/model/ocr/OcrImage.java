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
 */
public record OcrImage(byte[] pixels, int width, int height, int dpi) {
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
