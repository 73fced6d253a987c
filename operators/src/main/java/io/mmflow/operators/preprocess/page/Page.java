package io.mmflow.operators.preprocess.page;

import io.mmflow.core.error.MmflowException;
import java.awt.image.BufferedImage;

/**
 * One page as a splitter yields it: either the text of its text layer, or an image to OCR, or the
 * reason it could not be had.
 *
 * @param number 1-based page number
 * @param textLayer the page's text when its text layer is usable, else null
 * @param image the page as an image (rendered or decoded) when it needs OCR, else null
 * @param dpi the image's resolution
 * @param error why this page failed (the document goes on), else null
 */
public record Page(
    int number, String textLayer, BufferedImage image, int dpi, MmflowException error) {
  public static Page text(int number, String text) {
    return new Page(number, text, null, 0, null);
  }

  public static Page image(int number, BufferedImage image, int dpi) {
    return new Page(number, null, image, dpi, null);
  }

  public static Page failed(int number, MmflowException error) {
    return new Page(number, null, null, 0, error);
  }
}
