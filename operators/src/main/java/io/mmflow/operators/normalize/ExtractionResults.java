package io.mmflow.operators.normalize;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.AttributeKeys;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.Provenance;
import io.mmflow.core.model.ResultError;
import io.mmflow.core.model.ResultStatus;
import io.mmflow.core.model.Task;
import io.mmflow.model.ModelInfo;
import io.mmflow.model.tika.Extraction;
import io.mmflow.operators.preprocess.document.PdfPages;
import io.mmflow.operators.preprocess.image.ImagePages;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Text that was read rather than inferred, as results: a PDF page's text layer, a document's text
 * from Tika (with the OCR of its embedded images), a feed's plain-text part, and the document
 * result that joins a PDF's or an image's pages.
 *
 * <p>Confidence: a text layer is read, not inferred, so it has confidence 1.0 ({@value
 * #TEXT_LAYER_CALIBRATION}); a document joined from pages, or from its text layer and the OCR of
 * its embedded images, has the character-weighted mean of its parts' confidences.
 */
public final class ExtractionResults {
  public static final String TEXT_LAYER_CALIBRATION = "deterministic text layer";
  public static final String PAGES_CALIBRATION = "char-weighted mean of page confidences";
  public static final String MIXED_CALIBRATION =
      "char-weighted mean of text layer (1.0) and embedded-image OCR confidences";
  public static final String TEXT_PART_CALIBRATION = "deterministic UTF-8 text";

  /** The "model" of a text part's extraction: UTF-8 decoding and normalization by mmflow. */
  public static final ModelInfo UTF8_TEXT = new ModelInfo("mmflow", "utf8-text", "1");

  private ExtractionResults() {}

  /** The provenance of a PDF page's text layer: PDFBox's. */
  public static Provenance textLayerProvenance(MediaItem item) {
    return new Provenance(
        "apache-pdfbox",
        "pdfbox-text-layer",
        PdfPages.pdfboxVersion(),
        item.sourceUri(),
        item.contentSha256(),
        false);
  }

  /**
   * The provenance of a document joined from its pages. Its model version names both engines
   * (PDFBox, and Tesseract with its language when pages may be OCR'd), so it changes when either
   * does.
   *
   * @param ocr the OCR engine and its language, or null when OCR is off
   */
  public static Provenance pagesProvenance(MediaItem item, ModelInfo ocr, String ocrLanguage) {
    String version =
        "pdfbox-"
            + PdfPages.pdfboxVersion()
            + (ocr == null ? "" : "+tesseract-" + ocr.modelVersion() + "-" + ocrLanguage);
    return new Provenance(
        "mmflow", "document-pages", version, item.sourceUri(), item.contentSha256(), false);
  }

  /** A page read from its text layer. */
  public static ModalityResult textLayerPage(
      MediaItem item,
      String partId,
      Map<String, String> pageAttributes,
      String text,
      Instant started,
      Instant finished) {
    return page(item, partId, pageAttributes, started, finished)
        .text(text)
        .confidence(1.0, TEXT_LAYER_CALIBRATION)
        .attribute(AttributeKeys.PAGE_SOURCE, "text_layer")
        .build();
  }

  /** A page without a usable text layer while OCR is off: degraded, with empty text. */
  public static ModalityResult unreadPage(
      MediaItem item,
      String partId,
      Map<String, String> pageAttributes,
      Instant started,
      Instant finished) {
    return page(item, partId, pageAttributes, started, finished)
        .status(ResultStatus.DEGRADED)
        .text("")
        .attribute(AttributeKeys.PAGE_SOURCE, "none")
        .build();
  }

  /** A page that failed alone (too large, unreadable): an error result; its document goes on. */
  public static ModalityResult failedPage(
      MediaItem item,
      String partId,
      Map<String, String> pageAttributes,
      MmflowException error,
      Instant started,
      Instant finished) {
    return page(item, partId, pageAttributes, started, finished)
        .error(ResultError.of(error.code(), error.getMessage()))
        .attribute(AttributeKeys.PAGE_SOURCE, "none")
        .build();
  }

  private static ModalityResult.Builder page(
      MediaItem item,
      String partId,
      Map<String, String> pageAttributes,
      Instant started,
      Instant finished) {
    return Results.of(
        item,
        partId,
        pageAttributes,
        Modality.DOCUMENT,
        Task.EXTRACTION,
        textLayerProvenance(item),
        started,
        finished);
  }

  /**
   * The document result of a PDF's or an image's pages (part {@code 0}): the pages' text joined,
   * the page count, the character-weighted mean of the page confidences, degraded when a page
   * failed or was degraded. Null when no page has text, and the document is then a dead letter;
   * except an image in which OCR found no text when {@code emptyImagesAreResults} (in a feed, a
   * photo without words is an ordinary part): a result with empty text ({@code text_found=false}).
   */
  public static ModalityResult pagesDocument(
      MediaItem item,
      List<ModalityResult> pages,
      Provenance provenance,
      boolean emptyImagesAreResults,
      Instant started,
      Instant finished) {
    StringBuilder text = new StringBuilder();
    double weighted = 0;
    long chars = 0;
    int ocrPages = 0;
    int failed = 0;
    for (ModalityResult p : pages) {
      if (p.status() == ResultStatus.ERROR) {
        failed++;
        continue;
      }
      if (p.task() == Task.OCR) {
        ocrPages++;
      }
      String t = p.text() == null ? "" : p.text();
      if (!t.isBlank()) {
        if (text.length() > 0) {
          text.append("\n\n");
        }
        text.append(t);
        weighted += (p.confidence() == null ? 0 : p.confidence()) * t.length();
        chars += t.length();
      }
    }
    ModalityResult.Builder document =
        Results.of(item, Modality.DOCUMENT, Task.EXTRACTION, provenance, started, finished)
            .pageCount(pages.size())
            .attribute(AttributeKeys.MEDIA_TYPE, item.mediaType())
            .attribute("pages_ocr", Integer.toString(ocrPages));
    if (chars == 0) {
      if (!emptyImagesAreResults
          || failed > 0
          || !ImagePages.TYPES.contains(item.mediaType())
          || pages.isEmpty()) {
        return null;
      }
      return document
          .status(ResultStatus.OK)
          .text("")
          .attribute("pages_failed", "0")
          .attribute(AttributeKeys.CHARACTERS, "0")
          .attribute("text_found", "false")
          .build();
    }
    boolean degraded =
        failed > 0 || pages.stream().anyMatch(p -> p.status() == ResultStatus.DEGRADED);
    return document
        .status(degraded ? ResultStatus.DEGRADED : ResultStatus.OK)
        .text(text.toString())
        .confidence(weighted / chars, PAGES_CALIBRATION)
        .attribute("pages_failed", Integer.toString(failed))
        .attribute(AttributeKeys.CHARACTERS, Integer.toString(text.length()))
        .build();
  }

  /**
   * The document result of a Tika extraction (part {@code 0}, modality document): its text layer
   * followed by the text OCR found in its embedded images, the language, page count and the
   * document's metadata ({@code doc.*}); degraded when the text was cut to the write limit. Null
   * when neither the text layer nor any embedded image has text (a dead letter).
   *
   * @param images the results of the embedded images' OCR, in document order
   * @param imagesSkipped embedded images not OCR'd (too small, vector drawings, over the limit)
   */
  public static ModalityResult tikaDocument(
      MediaItem item,
      Extraction e,
      List<ModalityResult> images,
      int imagesSkipped,
      ModelInfo tika,
      Instant started,
      Instant finished) {
    String text = e.text();
    double weighted = text.length();
    long chars = text.length();
    for (ModalityResult r : images) {
      if (r.status() != ResultStatus.ERROR && r.text() != null && !r.text().isBlank()) {
        text = text.isBlank() ? r.text() : text + "\n\n" + r.text();
        weighted += r.confidence() * r.text().length();
        chars += r.text().length();
      }
    }
    if (text.isBlank()) {
      return null;
    }
    boolean ocrText = chars > e.text().length();
    ModalityResult.Builder result =
        Results.of(item, Modality.DOCUMENT, Task.EXTRACTION, tika, started, finished)
            .status(e.truncated() ? ResultStatus.DEGRADED : ResultStatus.OK)
            .text(text)
            .language(e.language())
            .pageCount(e.pageCount())
            .confidence(
                ocrText ? weighted / chars : 1.0,
                ocrText ? MIXED_CALIBRATION : TEXT_LAYER_CALIBRATION)
            .attribute(AttributeKeys.MEDIA_TYPE, e.mediaType())
            .attribute(AttributeKeys.TRUNCATED, Boolean.toString(e.truncated()))
            .attribute(AttributeKeys.CHARACTERS, Integer.toString(e.text().length()))
            .attribute(
                "language_score",
                e.languageScore() == null
                    ? null
                    : String.format(Locale.ROOT, "%.4f", e.languageScore()));
    e.metadata().forEach((k, v) -> result.attribute("doc." + k, v));
    if (!e.embeddedImages().isEmpty() || imagesSkipped > 0) {
      result.attribute("embedded_images_ocr", Integer.toString(images.size()));
      result.attribute("embedded_images_skipped", Integer.toString(imagesSkipped));
    }
    return result.sourceAttributes(item).build();
  }

  /** An embedded image that could not be decoded: an OCR error result of its part. */
  public static ModalityResult failedEmbeddedImage(
      MediaItem item,
      String partId,
      String imageName,
      MmflowException error,
      ModelInfo ocr,
      Instant started,
      Instant finished) {
    return Results.of(
            item,
            partId,
            Map.of(AttributeKeys.EMBEDDED_IMAGE, imageName),
            Modality.OCR,
            Task.OCR,
            ocr.provenance(item.sourceUri(), item.contentSha256(), false),
            started,
            finished)
        .error(ResultError.of(error.code(), error.getMessage()))
        .build();
  }

  /**
   * A document that failed as a whole, as an error result of its own part (task extraction,
   * modality document) with the failure's code: what a job sends to the dead letters, for callers
   * that answer every input with a row (the SQL functions). {@code provenance} is the one a success
   * would have had, so a later success replaces the row on the same key.
   */
  public static ModalityResult failedDocument(
      MediaItem item,
      Provenance provenance,
      MmflowException error,
      Instant started,
      Instant finished) {
    return Results.of(item, Modality.DOCUMENT, Task.EXTRACTION, provenance, started, finished)
        .error(ResultError.of(error.code(), error.getMessage()))
        .attribute(AttributeKeys.MEDIA_TYPE, item.mediaType())
        .sourceAttributes(item)
        .build();
  }

  /** The "model" of a rejected input's error result: mmflow's validation. */
  public static final ModelInfo VALIDATION = new ModelInfo("mmflow", "validate", "1");

  /**
   * An input that validation rejected (empty, too large, an unsupported media type), as an error
   * result of its own part with the code of its dead letter: for callers that answer every input
   * with a row (the SQL functions).
   */
  public static ModalityResult rejectedItem(
      MediaItem item, ErrorCode code, String message, Instant started, Instant finished) {
    return failedDocument(
        item,
        VALIDATION.provenance(item.sourceUri(), item.contentSha256(), false),
        new MmflowException(code, message),
        started,
        finished);
  }

  /**
   * A feed's plain-text part: its UTF-8 text, NFKC-normalized, as an extraction result (modality
   * text): the input of the text models, and the part's own result when none is configured.
   */
  public static ModalityResult textPart(
      MediaItem item, String normalizedText, Instant started, Instant finished) {
    return Results.of(item, Modality.TEXT, Task.EXTRACTION, UTF8_TEXT, started, finished)
        .text(normalizedText)
        .confidence(1.0, TEXT_PART_CALIBRATION)
        .attribute(AttributeKeys.MEDIA_TYPE, item.mediaType())
        .attribute(AttributeKeys.SIZE_BYTES, Long.toString(item.sizeBytes()))
        .sourceAttributes(item)
        .build();
  }
}
