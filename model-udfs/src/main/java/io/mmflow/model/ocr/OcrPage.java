package io.mmflow.model.ocr;

import io.mmflow.core.model.Entity;
import java.util.List;

/**
 * What Tesseract read on one page.
 *
 * @param text the page text, lines separated by newlines
 * @param entities words (or lines) with boxes in page pixels and confidences in [0,1]
 * @param confidence page confidence in [0,1] by {@link #CALIBRATION}; 0 when nothing was read
 * @param rotation quarter turns (clockwise, 0-3) applied before recognition
 */
public record OcrPage(String text, List<Entity> entities, double confidence, int rotation) {
  /**
   * The documented method behind {@link #confidence()}: the mean of Tesseract's word confidences
   * (0-100, the classifier's certainty of the chosen word), weighted by each word's length in
   * characters, divided by 100. Long words count more than stray one-letter marks, which often get
   * extreme values. {@code bin/mmflow eval ocr} reports it next to 1 - CER.
   */
  public static final String CALIBRATION = "char-weighted mean word confidence / 100";

  public OcrPage {
    entities = List.copyOf(entities);
  }
}
