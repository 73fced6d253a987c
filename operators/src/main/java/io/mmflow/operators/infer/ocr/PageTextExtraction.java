package io.mmflow.operators.infer.ocr;

import static java.util.Objects.requireNonNull;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.Provenance;
import io.mmflow.core.model.ResultError;
import io.mmflow.core.model.ResultStatus;
import io.mmflow.core.model.Task;
import io.mmflow.core.model.Timing;
import io.mmflow.model.ocr.OcrSettings;
import io.mmflow.operators.DeadLetters;
import io.mmflow.operators.metrics.RunCounters;
import io.mmflow.operators.preprocess.document.PdfPages;
import io.mmflow.operators.preprocess.image.ImagePages;
import io.mmflow.operators.preprocess.ocr.OcrPreprocessing;
import io.mmflow.operators.preprocess.page.Page;
import io.mmflow.operators.preprocess.page.PageLimits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
  static final String TEXT_LAYER_CALIBRATION = "deterministic text layer";
  static final String DOCUMENT_CALIBRATION = "char-weighted mean of page confidences";

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
    ModalityResult.Builder b =
        ModalityResult.builder()
            .forItem(item)
            .partId(item.subPartId("p" + page.number()))
            .attribute("page_number", Integer.toString(page.number()))
            .attribute("media_type", item.mediaType());
    if (page.error() != null) {
      return b.modality(Modality.DOCUMENT)
          .task(Task.EXTRACTION)
          .error(ResultError.of(page.error().code(), page.error().getMessage()))
          .provenance(pdfbox(item))
          .timing(Timing.of(item.eventTime(), started, Instant.now()))
          .attribute("page_source", "none")
          .build();
    }
    if (page.textLayer() != null) {
      return b.modality(Modality.DOCUMENT)
          .task(Task.EXTRACTION)
          .text(page.textLayer())
          .confidence(1.0, TEXT_LAYER_CALIBRATION)
          .provenance(pdfbox(item))
          .timing(Timing.of(item.eventTime(), started, Instant.now()))
          .attribute("page_source", "text_layer")
          .build();
    }
    if (!ocrEnabled) {
      return b.modality(Modality.DOCUMENT)
          .task(Task.EXTRACTION)
          .status(ResultStatus.DEGRADED)
          .text("")
          .provenance(pdfbox(item))
          .timing(Timing.of(item.eventTime(), started, Instant.now()))
          .attribute("page_source", "none")
          .build();
    }
    pagesOcr.increment();
    return pageOcr.recognize(b, item, page.image(), page.dpi());
  }

  private ModalityResult documentResult(
      MediaItem item, List<ModalityResult> pages, Instant started) {
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
    if (chars == 0) {
      if (!emptyImagesAreResults
          || failed > 0
          || !ImagePages.TYPES.contains(item.mediaType())
          || pages.isEmpty()) {
        return null;
      }
      return ModalityResult.builder()
          .forItem(item)
          .modality(Modality.DOCUMENT)
          .task(Task.EXTRACTION)
          .status(ResultStatus.OK)
          .text("")
          .pageCount(pages.size())
          .provenance(documentProvenance(item))
          .timing(Timing.of(item.eventTime(), started, Instant.now()))
          .attribute("media_type", item.mediaType())
          .attribute("pages_ocr", Integer.toString(ocrPages))
          .attribute("pages_failed", "0")
          .attribute("characters", "0")
          .attribute("text_found", "false")
          .build();
    }
    boolean degraded =
        failed > 0 || pages.stream().anyMatch(p -> p.status() == ResultStatus.DEGRADED);
    return ModalityResult.builder()
        .forItem(item)
        .modality(Modality.DOCUMENT)
        .task(Task.EXTRACTION)
        .status(degraded ? ResultStatus.DEGRADED : ResultStatus.OK)
        .text(text.toString())
        .pageCount(pages.size())
        .confidence(weighted / chars, DOCUMENT_CALIBRATION)
        .provenance(documentProvenance(item))
        .timing(Timing.of(item.eventTime(), started, Instant.now()))
        .attribute("media_type", item.mediaType())
        .attribute("pages_ocr", Integer.toString(ocrPages))
        .attribute("pages_failed", Integer.toString(failed))
        .attribute("characters", Integer.toString(text.length()))
        .build();
  }

  private Provenance pdfbox(MediaItem item) {
    return new Provenance(
        "apache-pdfbox",
        "pdfbox-text-layer",
        PdfPages.pdfboxVersion(),
        item.sourceUri(),
        item.contentSha256(),
        false);
  }

  /** The document result's model version names both engines, so it changes when either does. */
  private Provenance documentProvenance(MediaItem item) {
    String version =
        "pdfbox-"
            + PdfPages.pdfboxVersion()
            + (ocrEnabled
                ? "+tesseract-" + pageOcr.info().modelVersion() + "-" + pageOcr.language()
                : "");
    return new Provenance(
        "mmflow", "document-pages", version, item.sourceUri(), item.contentSha256(), false);
  }

  @Override
  public void close() {
    pageOcr.close();
  }
}
