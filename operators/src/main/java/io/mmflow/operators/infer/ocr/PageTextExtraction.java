package io.mmflow.operators.infer.ocr;

import static java.util.Objects.requireNonNull;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.AttributeKeys;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.DeadLetters;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.Provenance;
import io.mmflow.model.ocr.OcrSettings;
import io.mmflow.operators.metrics.RunCounters;
import io.mmflow.operators.normalize.ExtractionResults;
import io.mmflow.operators.normalize.OcrResults;
import io.mmflow.operators.preprocess.document.PdfPages;
import io.mmflow.operators.preprocess.image.ImagePages;
import io.mmflow.operators.preprocess.ocr.OcrPreprocessing;
import io.mmflow.operators.preprocess.page.Page;
import io.mmflow.operators.preprocess.page.PageLimits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The text of every page of a PDF or image: a PDF page's text layer where it is usable, else the
 * page (rendered, or decoded from the image) through OCR preprocessing and Tesseract.
 *
 * <p>Emits one result per page (part {@code p<n>}: task {@code ocr} with word entities, or task
 * {@code extraction} from a text layer) and one document result (part {@code 0}, task {@code
 * extraction}) with the pages' text joined, the page count, and a confidence that is the
 * character-weighted mean of the page confidences. A page that fails alone becomes an error result
 * and the document is {@code degraded}; a document that fails as a whole, or yields no text at all,
 * becomes a dead letter.
 */
public final class PageTextExtraction extends ProcessFunction<MediaItem, ModalityResult> {
  public static final String STAGE = "pages";

  private final PageLimits limits;
  private final PageOcr pageOcr;
  private final boolean ocrEnabled;
  private boolean emptyImagesAreResults;

  private transient RunCounters results;
  private transient RunCounters itemsDone;
  private transient RunCounters pagesCounter;
  private transient RunCounters pagesOcr;
  private transient RunCounters deadLetters;

  public PageTextExtraction(
      PageLimits limits,
      OcrSettings ocrSettings,
      OcrPreprocessing preprocessing,
      boolean ocrEnabled) {
    this.limits = requireNonNull(limits, "limits is null");
    this.pageOcr = new PageOcr(ocrSettings, preprocessing);
    this.ocrEnabled = ocrEnabled;
  }

  /**
   * Images in which OCR finds no text end as a result with empty text ({@code text_found=false})
   * instead of a dead letter: in a feed, a photo without words is an ordinary part (its other
   * analyses, an image model or a caption, are its content), not bad input. PDFs without text stay
   * dead letters.
   */
  public PageTextExtraction emptyImagesAreResults() {
    this.emptyImagesAreResults = true;
    return this;
  }

  /** Whether this stage handles the media type (PDFs and images). */
  public static boolean handles(String mediaType) {
    return "application/pdf".equals(mediaType) || ImagePages.TYPES.contains(mediaType);
  }

  @Override
  public void open(OpenContext openContext) {
    if (ocrEnabled) {
      pageOcr.open();
    }
    results = RunCounters.counter(getRuntimeContext(), RunCounters.RESULTS);
    itemsDone = RunCounters.counter(getRuntimeContext(), RunCounters.ITEMS_DONE);
    pagesCounter = RunCounters.counter(getRuntimeContext(), RunCounters.PAGES);
    pagesOcr = RunCounters.counter(getRuntimeContext(), RunCounters.PAGES_OCR);
    deadLetters = RunCounters.deadLetters(getRuntimeContext());
  }

  @Override
  public void processElement(MediaItem item, Context ctx, Collector<ModalityResult> out) {
    Instant started = Instant.now();
    List<ModalityResult> pages = new ArrayList<>();
    try {
      if ("application/pdf".equals(item.mediaType())) {
        PdfPages.split(item.content(), limits, page -> pages.add(pageResult(item, page)));
      } else {
        if (!ocrEnabled) {
          throw new MmflowException(
              ErrorCode.UNSUPPORTED_MEDIA_TYPE,
              item.mediaType() + " needs OCR, which is disabled (mmflow.ocr.enabled)");
        }
        ImagePages.split(item.content(), limits, page -> pages.add(pageResult(item, page)));
      }
    } catch (MmflowException e) {
      reject(ctx, item, e);
      return;
    }
    ModalityResult document = documentResult(item, pages, started);
    if (document == null) {
      reject(
          ctx,
          item,
          new MmflowException(
              ErrorCode.NO_CONTENT_EXTRACTED,
              "no text on any of "
                  + pages.size()
                  + " pages"
                  + (ocrEnabled ? "" : " (OCR is disabled: mmflow.ocr.enabled)")));
      return;
    }
    for (ModalityResult page : pages) {
      results.increment();
      out.collect(page);
    }
    results.increment();
    itemsDone.increment();
    out.collect(document);
  }

  private void reject(Context ctx, MediaItem item, MmflowException e) {
    deadLetters.increment(e.code());
    ctx.output(DeadLetters.TAG, DeadLetter.of(item, STAGE, e));
  }

  private ModalityResult pageResult(MediaItem item, Page page) {
    pagesCounter.increment();
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
    pagesOcr.increment();
    return OcrResults.page(item, partId, attributes, pageOcr.read(page.image(), page.dpi()));
  }

  private ModalityResult documentResult(
      MediaItem item, List<ModalityResult> pages, Instant started) {
    Provenance provenance =
        ExtractionResults.pagesProvenance(
            item, ocrEnabled ? pageOcr.info() : null, pageOcr.language());
    return ExtractionResults.pagesDocument(
        item, pages, provenance, emptyImagesAreResults, started, Instant.now());
  }

  @Override
  public void close() {
    pageOcr.close();
  }
}
