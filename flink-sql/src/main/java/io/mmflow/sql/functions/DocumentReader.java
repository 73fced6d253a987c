package io.mmflow.sql.functions;

import io.mmflow.core.config.SourceOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.model.tika.MediaTypeDetector;
import io.mmflow.operators.infer.extract.DocumentExtraction;
import io.mmflow.operators.infer.ocr.DocumentPages;
import io.mmflow.operators.normalize.ExtractionResults;
import io.mmflow.operators.preprocess.image.ImagePages;
import io.mmflow.operators.route.PartRoutes;
import io.mmflow.operators.validate.ValidationRules;
import java.time.Instant;
import java.util.List;
import org.apache.flink.configuration.Configuration;

/**
 * The documents job's reading of one input, for the SQL functions: its validation, then the pages
 * of PDFs and images (text layer or OCR) or Tika for other documents, through the same classes as
 * the job ({@link DocumentPages}, {@link DocumentExtraction}). Where the job sends an input to the
 * dead letters, this answers one error row with the same code. One instance serves one thread;
 * {@link #close()} frees the parsers and the OCR engine.
 */
public final class DocumentReader implements AutoCloseable {
  private final ValidationRules rules;
  private final MediaTypeDetector detector = new MediaTypeDetector();
  private final DocumentPages pages;
  private final DocumentExtraction extraction;

  /**
   * @param imagesOnly whether only images are accepted (OCR of one image)
   * @param emptyImagesAreResults whether an image without text is a result with empty text
   */
  public DocumentReader(Configuration config, boolean imagesOnly, boolean emptyImagesAreResults) {
    this.rules =
        new ValidationRules(
            config.get(SourceOptions.MAX_BYTES).getBytes(),
            imagesOnly ? ImagePages.TYPES : PartRoutes.DOCUMENT_TYPES,
            imagesOnly ? "MMF_OCR" : "SQL documents");
    this.pages = DocumentPages.from(config, emptyImagesAreResults);
    this.extraction = imagesOnly ? null : DocumentExtraction.from(config);
  }

  /**
   * The results the documents job writes for {@code item}: one per page or embedded image, then the
   * document's; or one error row (part {@code 0}) with the code of the job's dead letter.
   */
  public List<ModalityResult> read(MediaItem item) {
    Instant started = Instant.now();
    ValidationRules.Verdict verdict = rules.check(item, detector);
    if (!verdict.accepted()) {
      return List.of(
          ExtractionResults.rejectedItem(
              verdict.item(), verdict.code(), verdict.message(), started, Instant.now()));
    }
    MediaItem typed = verdict.item();
    boolean paged = DocumentPages.handles(typed.mediaType());
    try {
      return paged ? pages.read(typed) : extraction.read(typed);
    } catch (MmflowException e) {
      return List.of(
          paged ? pages.failed(typed, e, started) : extraction.failed(typed, e, started));
    }
  }

  /**
   * The one answer for an image: its page's OCR result, with the words, when it has one page; else
   * the document's (a multi-page TIFF: the pages' text joined), or the error row.
   */
  public ModalityResult readImage(MediaItem item) {
    List<ModalityResult> results = read(item);
    return results.size() == 2 ? results.get(0) : results.get(results.size() - 1);
  }

  /** The error row of an input whose bytes were not given (NULL content). */
  ModalityResult unread(MediaItem item, String why) {
    Instant now = Instant.now();
    return ExtractionResults.rejectedItem(item, ErrorCode.EMPTY_INPUT, why, now, now);
  }

  @Override
  public void close() {
    pages.close();
    if (extraction != null) {
      extraction.close();
    }
  }
}
