package io.mmflow.operators.infer.ocr;

import static java.util.Objects.requireNonNull;

import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.DeadLetters;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.model.ocr.OcrSettings;
import io.mmflow.operators.metrics.RunCounters;
import io.mmflow.operators.preprocess.ocr.OcrPreprocessing;
import io.mmflow.operators.preprocess.page.PageLimits;
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

  private final PageLimits limits;
  private final OcrSettings ocrSettings;
  private final OcrPreprocessing preprocessing;
  private final boolean ocrEnabled;
  private boolean emptyImagesAreResults;

  private transient DocumentPages pages;
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
    this.ocrSettings = requireNonNull(ocrSettings, "ocrSettings is null");
    this.preprocessing = requireNonNull(preprocessing, "preprocessing is null");
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
    return DocumentPages.handles(mediaType);
  }

  @Override
  public void open(OpenContext openContext) {
    pages =
        new DocumentPages(limits, ocrSettings, preprocessing, ocrEnabled, emptyImagesAreResults);
    pages.open();
    results = RunCounters.counter(getRuntimeContext(), RunCounters.RESULTS);
    itemsDone = RunCounters.counter(getRuntimeContext(), RunCounters.ITEMS_DONE);
    pagesCounter = RunCounters.counter(getRuntimeContext(), RunCounters.PAGES);
    pagesOcr = RunCounters.counter(getRuntimeContext(), RunCounters.PAGES_OCR);
    deadLetters = RunCounters.deadLetters(getRuntimeContext());
  }

  @Override
  public void processElement(MediaItem item, Context ctx, Collector<ModalityResult> out) {
    List<ModalityResult> read;
    try {
      read = pages.read(item);
    } catch (MmflowException e) {
      deadLetters.increment(e.code());
      ctx.output(DeadLetters.TAG, DeadLetter.of(item, STAGE, e));
      return;
    }
    for (int i = 0; i < read.size(); i++) {
      ModalityResult r = read.get(i);
      if (i < read.size() - 1) { // the last is the document
        pagesCounter.increment();
        if (DocumentPages.ocrPage(r)) {
          pagesOcr.increment();
        }
      }
      results.increment();
      out.collect(r);
    }
    itemsDone.increment();
  }

  @Override
  public void close() {
    if (pages != null) {
      pages.close();
    }
  }
}
