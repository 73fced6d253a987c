package io.mmflow.operators.infer.ocr;

import static java.util.Objects.requireNonNull;

import io.mmflow.core.config.OcrOptions;
import io.mmflow.model.ModelInfo;
import io.mmflow.model.ocr.OcrImage;
import io.mmflow.model.ocr.OcrPage;
import io.mmflow.model.ocr.OcrSettings;
import io.mmflow.model.ocr.TesseractOcr;
import io.mmflow.operators.normalize.OcrResults;
import io.mmflow.operators.preprocess.ocr.GrayImage;
import io.mmflow.operators.preprocess.ocr.OcrPreprocessing;
import io.mmflow.operators.preprocess.ocr.Orientation;
import java.awt.image.BufferedImage;
import java.io.Serializable;
import java.time.Instant;

/**
 * One page image read by Tesseract: grayscale, orientation (when configured), the preprocessing
 * chain, then Tesseract; the answer goes to {@link OcrResults} for its result. Shared by the
 * operators that OCR pages and embedded images; holds one Tesseract engine, opened in the
 * operator's {@code open()} (or by the first page, for operators that may never see one) and closed
 * in its {@code close()}.
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
   * Reads {@code image}: grayscale, orientation (when configured), the preprocessing chain, then
   * Tesseract; {@link OcrResults#page} makes the result of it.
   */
  public OcrResults.Reading read(BufferedImage image, int dpi) {
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
    return new OcrResults.Reading(
        read,
        ocr.info(),
        ocrDpi,
        rotation,
        prepared.skewDegrees(),
        prepared.steps(),
        started,
        Instant.now());
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
