package io.mmflow.operators.normalize;

import io.mmflow.core.model.AttributeKeys;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.Task;
import io.mmflow.model.ModelInfo;
import io.mmflow.model.ocr.OcrPage;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * Tesseract's reading of one page image as a result (modality and task {@code ocr}): text, word or
 * line entities with boxes in the page's pixels, the page confidence (the character-weighted mean
 * of Tesseract's word confidences / 100: {@link OcrPage#CALIBRATION}), the engine's provenance and
 * what preprocessing did to the page (resolution, quarter turns, skew, steps).
 */
public final class OcrResults {
  private OcrResults() {}

  /**
   * What OCR of one page answered, and how the page was prepared for it.
   *
   * @param page Tesseract's text, entities and confidence
   * @param engine the OCR engine and its version
   * @param ocrDpi the resolution Tesseract was told
   * @param quarterTurns clockwise quarter turns that made the page upright
   * @param skewDegrees the skew removed
   * @param steps the preprocessing steps applied, in order
   * @param started when the page's preprocessing started
   * @param finished when Tesseract answered
   */
  public record Reading(
      OcrPage page,
      ModelInfo engine,
      int ocrDpi,
      int quarterTurns,
      double skewDegrees,
      String steps,
      Instant started,
      Instant finished) {}

  /**
   * The result of part {@code partId} of {@code item} (a page {@code p<n>}, an embedded image
   * {@code i<n>}), with the part's own attributes (page number or image name, media type).
   */
  public static ModalityResult page(
      MediaItem item, String partId, Map<String, String> partAttributes, Reading r) {
    return Results.of(
            item,
            partId,
            partAttributes,
            Modality.OCR,
            Task.OCR,
            r.engine().provenance(item.sourceUri(), item.contentSha256(), false),
            r.started(),
            r.finished())
        .text(r.page().text())
        .entities(r.page().entities())
        .confidence(r.page().confidence(), OcrPage.CALIBRATION)
        .attribute(AttributeKeys.PAGE_SOURCE, "ocr")
        .attribute("ocr_dpi", Integer.toString(r.ocrDpi()))
        .attribute("rotation_quarter_turns", Integer.toString(r.quarterTurns()))
        .attribute("skew_degrees", String.format(Locale.ROOT, "%.2f", r.skewDegrees()))
        .attribute("preprocessing", r.steps())
        .build();
  }
}
