package io.mmflow.operators.infer.ocr;

import static java.util.Objects.requireNonNull;

import io.mmflow.core.config.OcrOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.AttributeKeys;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.Provenance;
import io.mmflow.core.model.Task;
import io.mmflow.model.ocr.OcrSettings;
import io.mmflow.operators.normalize.ExtractionResults;
import io.mmflow.operators.normalize.OcrResults;
import io.mmflow.operators.preprocess.document.PdfPages;
import io.mmflow.operators.preprocess.image.ImagePages;
import io.mmflow.operators.preprocess.ocr.OcrPreprocessing;
import io.mmflow.operators.preprocess.ocr.OcrPreprocessingOptions;
import io.mmflow.operators.preprocess.page.Page;
import io.mmflow.operators.preprocess.page.PageLimits;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * The pages of one PDF or image read into results: a PDF page's text layer where it is usable, else
 * the page (rendered, or decoded from the image) through OCR preprocessing and Tesseract. The work
 * of {@link PageTextExtraction} in the documents and feeds jobs and of the SQL functions over the
 * same bytes, so both give the same rows.
 *
 * <p>Holds one Tesseract engine ({@link PageOcr}), opened by {@link #open()} or the first page that
 * needs it, closed by {@link #close()}; one instance serves one thread.
 */
public final class DocumentPages implements Serializable {
  private final PageLimits limits;
  private final PageOcr pageOcr;
  private final boolean ocrEnabled;
  private final boolean emptyImagesAreResults;

  /**
   * @param emptyImagesAreResults whether an image in which OCR finds no text is a result with empty
   *     text ({@code text_found=false}) rather than {@link ErrorCode#NO_CONTENT_EXTRACTED}
   */
  public DocumentPages(
      PageLimits limits,
      OcrSettings ocrSettings,
      OcrPreprocessing preprocessing,
      boolean ocrEnabled,
      boolean emptyImagesAreResults) {
    this.limits = requireNonNull(limits, "limits is null");
    this.pageOcr = new PageOcr(ocrSettings, preprocessing);
    this.ocrEnabled = ocrEnabled;
    this.emptyImagesAreResults = emptyImagesAreResults;
  }

  /** As configured: page limits, Tesseract, OCR preprocessing, whether OCR is on. */
  public static DocumentPages from(Configuration config, boolean emptyImagesAreResults) {
    return new DocumentPages(
        PageLimits.from(config),
        OcrSettings.from(config),
        OcrPreprocessingOptions.from(config),
        config.get(OcrOptions.ENABLED),
        emptyImagesAreResults);
  }

  /** Whether this reads the media type (PDFs and images). */
  public static boolean handles(String mediaType) {
    return "application/pdf".equals(mediaType) || ImagePages.TYPES.contains(mediaType);
  }

  /** Starts the OCR engine now rather than with the first page that needs it. */
  public void open() {
    if (ocrEnabled) {
      pageOcr.open();
    }
  }

  /**
   * One result per page (part {@code p<n>}: task {@code ocr} with word entities, or task {@code
   * extraction} from a text layer), then the document's result (part {@code 0}) with the pages'
   * text joined, the page count and the character-weighted mean of the page confidences. A page
   * that fails alone is an error result and the document is degraded.
   *
   * @throws MmflowException when the document fails as a whole (unreadable, over a limit, OCR
   *     needed but off) or no page has text: the item's dead letter
   */
  public List<ModalityResult> read(MediaItem item) {
    Instant started = Instant.now();
    List<ModalityResult> results = new ArrayList<>();
    if ("application/pdf".equals(item.mediaType())) {
      PdfPages.split(item.content(), limits, page -> results.add(page(item, page)));
    } else {
      if (!ocrEnabled) {
        throw new MmflowException(
            ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            item.mediaType() + " needs OCR, which is disabled (mmflow.ocr.enabled)");
      }
      ImagePages.split(item.content(), limits, page -> results.add(page(item, page)));
    }
    ModalityResult document =
        ExtractionResults.pagesDocument(
            item, results, provenance(item), emptyImagesAreResults, started, Instant.now());
    if (document == null) {
      throw new MmflowException(
          ErrorCode.NO_CONTENT_EXTRACTED,
          "no text on any of "
              + results.size()
              + " pages"
              + (ocrEnabled ? "" : " (OCR is disabled: mmflow.ocr.enabled)"));
    }
    results.add(document);
    return results;
  }

  /**
   * The document's error result for a failure of {@link #read}, under the provenance a success
   * would have had: for callers that answer every input with a row (the SQL functions).
   */
  public ModalityResult failed(MediaItem item, MmflowException error, Instant started) {
    return ExtractionResults.failedDocument(item, provenance(item), error, started, Instant.now());
  }

  private Provenance provenance(MediaItem item) {
    return ExtractionResults.pagesProvenance(
        item, ocrEnabled ? pageOcr.info() : null, pageOcr.language());
  }

  /** Whether {@code page} (a result of {@link #read}) was read by OCR. */
  public static boolean ocrPage(ModalityResult page) {
    return page.task() == Task.OCR;
  }

  private ModalityResult page(MediaItem item, Page page) {
    Instant started = Instant.now();
    String partId = item.subPartId("p" + page.number());
    Map<String, String> attributes =
        Map.of(
            AttributeKeys.PAGE_NUMBER,
            Integer.toString(page.number()),
            AttributeKeys.MEDIA_TYPE,
            item.mediaType());
    if (page.error() != null) {
      return ExtractionResults.failedPage(
          item, partId, attributes, page.error(), started, Instant.now());
    }
    if (page.textLayer() != null) {
      return ExtractionResults.textLayerPage(
          item, partId, attributes, page.textLayer(), started, Instant.now());
    }
    if (!ocrEnabled) {
      return ExtractionResults.unreadPage(item, partId, attributes, started, Instant.now());
    }
    return OcrResults.page(item, partId, attributes, pageOcr.read(page.image(), page.dpi()));
  }

  public void close() {
    pageOcr.close();
  }
}
