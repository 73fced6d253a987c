package io.mmflow.operators.infer.extract;

import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.DeadLetters;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.model.tika.ExtractionSettings;
import io.mmflow.operators.infer.ocr.PageOcr;
import io.mmflow.operators.metrics.RunCounters;
import io.mmflow.operators.preprocess.page.PageLimits;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Extracts the text layer of a document with Apache Tika, and OCRs the images embedded in it
 * ({@link DocumentExtraction}): one result per embedded image, then the document's result (task
 * extraction, modality document). Documents Tika cannot read become dead letters with the code of
 * the failure; the job goes on.
 */
public final class ExtractDocumentText extends ProcessFunction<MediaItem, ModalityResult> {
  public static final String STAGE = "extract";

  private final DocumentExtraction extraction;
  private transient RunCounters results;
  private transient RunCounters itemsDone;
  private transient RunCounters deadLetters;

  /** Text layers only. */
  public ExtractDocumentText(ExtractionSettings settings) {
    this(settings, null, null, 0);
  }

  /**
   * Text layers, and OCR of the images embedded in documents (when {@code embeddedOcr} is not null
   * and {@link ExtractionSettings#maxEmbeddedImages()} is positive).
   *
   * @param limits pixel and page limits for decoding embedded images
   * @param minEmbeddedPixels smaller embedded images (icons, logos) are not OCR'd
   */
  public ExtractDocumentText(
      ExtractionSettings settings, PageOcr embeddedOcr, PageLimits limits, long minEmbeddedPixels) {
    this.extraction = new DocumentExtraction(settings, embeddedOcr, limits, minEmbeddedPixels);
  }

  @Override
  public void open(OpenContext openContext) {
    // The Tika parsers (and the language model they use) start with the first document, and the
    // Tesseract engine for embedded images with the first such image (PageOcr): each is start-up
    // work and memory that a run without such inputs, e.g. a documents job whose inputs are all
    // scans, would spend for nothing in every subtask, on the cores its OCR needs.
    results = RunCounters.counter(getRuntimeContext(), RunCounters.RESULTS);
    itemsDone = RunCounters.counter(getRuntimeContext(), RunCounters.ITEMS_DONE);
    deadLetters = RunCounters.deadLetters(getRuntimeContext());
  }

  @Override
  public void processElement(MediaItem item, Context ctx, Collector<ModalityResult> out) {
    List<ModalityResult> read;
    try {
      read = extraction.read(item);
    } catch (MmflowException failure) {
      deadLetters.increment(failure.code());
      ctx.output(DeadLetters.TAG, DeadLetter.of(item, STAGE, failure));
      return;
    }
    for (ModalityResult r : read) {
      results.increment();
      out.collect(r);
    }
    itemsDone.increment();
  }

  @Override
  public void close() {
    extraction.close();
  }
}
