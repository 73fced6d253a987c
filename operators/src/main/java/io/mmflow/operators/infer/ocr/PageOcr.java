package io.mmflow.operators.infer.ocr;

import static java.util.Objects.requireNonNull;

import io.mmflow.core.config.OcrOptions;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.Task;
import io.mmflow.core.model.Timing;
import io.mmflow.model.ModelInfo;
import io.mmflow.model.ocr.OcrImage;
import io.mmflow.model.ocr.OcrPage;
import io.mmflow.model.ocr.OcrSettings;
import io.mmflow.model.ocr.TesseractOcr;
import io.mmflow.operators.preprocess.ocr.GrayImage;
import io.mmflow.operators.preprocess.ocr.OcrPreprocessing;
import io.mmflow.operators.preprocess.ocr.Orientation;
import java.awt.image.BufferedImage;
import java.io.Serializable;
import java.time.Instant;
import java.util.Locale;

/**
 * One page image to an OCR result: grayscale, orientation (when configured), the preprocessing
 * chain, then Tesseract. Shared by the operators that OCR pages and embedded images; holds one
 * Tesseract engine, opened in the operator's {@code open()} (or by the first page, for operators
 * that may never see one) and closed in its {@code close()}.
 */
public final class PageOcr implements Serializable {
  private final OcrSettings settings;
  private final OcrPreprocessing preprocessing;
  private transient TesseractOcr ocr;

  public PageOcr(OcrSettings settings, OcrPreprocessing preprocessing) {
    this.settings = requireNonNull(settings, "settings is null");
    this.preprocessing = requireNonNull(preprocessing, "preprocessing is null");
  }

  public void open() {
    if (ocr == null) {
      ocr = new TesseractOcr(settings);
    }
  }

  public ModelInfo info() {
    open();
    return ocr.info();
  }

  public String language() {
    return settings.language();
  }

  /**
   * Fills {@code result} (already carrying item, part and attributes) with the OCR of {@code
   * image}: modality and task {@code ocr}, text, word or line entities, calibrated confidence,
   * provenance and the preprocessing facts.
   */
  public ModalityResult recognize(
      ModalityResult.Builder result, MediaItem item, BufferedImage image, int dpi) {
    open();
    Instant started = Instant.now();
    GrayImage gray = GrayImage.from(image);
    int rotation = 0;
    if (settings.orientation() != OcrOptions.Orientation.OFF) {
      rotation = orientation(gray, dpi);
      if (rotation > 0) {
        gray = Orientation.rotate90(gray, rotation);
      }
    }
    OcrPreprocessing.Result prepared = preprocessing.apply(gray, dpi);
    int ocrDpi = prepared.dpi() > 0 ? prepared.dpi() : dpi;
    OcrPage read =
        ocr.recognize(
            new OcrImage(
                    prepared.image().pixels,
                    prepared.image().width,
                    prepared.image().height,
                    ocrDpi,
                    prepared.twoLevel())
                .region(prepared.content()),
            rotation);
    return result
        .modality(Modality.OCR)
        .task(Task.OCR)
        .text(read.text())
        .entities(read.entities())
        .confidence(read.confidence(), OcrPage.CALIBRATION)
        .provenance(ocr.info().provenance(item.sourceUri(), item.contentSha256(), false))
        .timing(Timing.of(item.eventTime(), started, Instant.now()))
        .attribute("page_source", "ocr")
        .attribute("ocr_dpi", Integer.toString(ocrDpi))
        .attribute("rotation_quarter_turns", Integer.toString(rotation))
        .attribute("skew_degrees", String.format(Locale.ROOT, "%.2f", prepared.skewDegrees()))
        .attribute("preprocessing", prepared.steps())
        .build();
  }

  /** Clockwise quarter turns that make the page upright. */
  private int orientation(GrayImage gray, int dpi) {
    OcrImage image = new OcrImage(gray.pixels, gray.width, gray.height, dpi);
    int osd = ocr.detectOrientation(image);
    if (osd >= 0 || settings.orientation() == OcrOptions.Orientation.OSD) {
      return Math.max(osd, 0);
    }
    // AUTO without OSD data: the turn whose OCR is most confident
    int best = 0;
    double bestConfidence = -1;
    for (int q = 0; q < 4; q++) {
      GrayImage turned = q == 0 ? gray : Orientation.rotate90(gray, q);
      double c =
          ocr.recognize(new OcrImage(turned.pixels, turned.width, turned.height, dpi), q)
              .confidence();
      if (c > bestConfidence) {
        bestConfidence = c;
        best = q;
      }
    }
    return best;
  }

  public void close() {
    if (ocr != null) {
      ocr.close();
      ocr = null;
    }
  }
}
