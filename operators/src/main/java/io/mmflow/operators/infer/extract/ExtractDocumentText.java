package io.mmflow.operators.infer.extract;

import static java.util.Objects.requireNonNull;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.AttributeKeys;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.DeadLetters;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.model.tika.EmbeddedImage;
import io.mmflow.model.tika.Extraction;
import io.mmflow.model.tika.ExtractionSettings;
import io.mmflow.model.tika.TikaExtractor;
import io.mmflow.operators.infer.ocr.PageOcr;
import io.mmflow.operators.metrics.RunCounters;
import io.mmflow.operators.normalize.ExtractionResults;
import io.mmflow.operators.normalize.OcrResults;
import io.mmflow.operators.preprocess.image.ImagePages;
import io.mmflow.operators.preprocess.page.PageLimits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Extracts the text layer of a document with Apache Tika, and OCRs the images embedded in it;
 * {@link ExtractionResults#tikaDocument} makes the document's result (task extraction, modality
 * document) and {@link OcrResults} one result per embedded image. Documents Tika cannot read become
 * dead letters with the code of the failure; the job goes on.
 */
public final class ExtractDocumentText extends ProcessFunction<MediaItem, ModalityResult> {
  public static final String STAGE = "extract";

  private final ExtractionSettings settings;
  private final PageOcr embeddedOcr;
  private final PageLimits limits;
  private final long minEmbeddedPixels;
  private transient TikaExtractor extractor;
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
    this.settings = requireNonNull(settings, "settings is null");
    this.embeddedOcr = embeddedOcr;
    this.limits = limits;
    this.minEmbeddedPixels = minEmbeddedPixels;
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
    Instant started = Instant.now();
    if (extractor == null) {
      // outside the try below: a parser that cannot start is the job's problem (it fails the task,
      // as it did in open()), not a dead letter of this document
      extractor = new TikaExtractor(settings);
    }
    Extraction e;
    try {
      e = extractor.apply(new TikaExtractor.Input(item.content(), item.mediaType()));
    } catch (MmflowException failure) {
      deadLetters.increment(failure.code());
      ctx.output(DeadLetters.TAG, DeadLetter.of(item, STAGE, failure));
      return;
    }
    List<ModalityResult> imageResults = new ArrayList<>();
    int[] skipped = {e.embeddedImagesSkipped()};
    if (embeddedOcr != null && settings.maxEmbeddedImages() > 0) {
      int n = 0;
      for (EmbeddedImage image : e.embeddedImages()) {
        n++;
        if (!ImagePages.TYPES.contains(image.mediaType())) {
          skipped[0]++; // vector drawings (EMF, WMF, SVG): no raster to read
          continue;
        }
        ocrEmbedded(item, image, n, imageResults, skipped);
      }
    }
    ModalityResult document =
        ExtractionResults.tikaDocument(
            item, e, imageResults, skipped[0], extractor.info(), started, Instant.now());
    if (document == null) {
      MmflowException none =
          new MmflowException(
              ErrorCode.NO_CONTENT_EXTRACTED,
              "no text in "
                  + e.mediaType()
                  + ", nor in its "
                  + e.embeddedImages().size()
                  + " embedded images");
      deadLetters.increment(none.code());
      ctx.output(DeadLetters.TAG, DeadLetter.of(item, STAGE, none));
      return;
    }
    for (ModalityResult r : imageResults) {
      results.increment();
      out.collect(r);
    }
    results.increment();
    itemsDone.increment();
    out.collect(document);
  }

  /** OCRs one embedded image (every frame of a multi-page one) into results {@code i<n>}. */
  private void ocrEmbedded(
      MediaItem item, EmbeddedImage image, int n, List<ModalityResult> out, int[] skipped) {
    Instant started = Instant.now();
    try {
      ImagePages.split(
          image.bytes(),
          limits,
          page -> {
            if (page.image() == null) {
              return;
            }
            long pixels = (long) page.image().getWidth() * page.image().getHeight();
            if (pixels < minEmbeddedPixels) {
              skipped[0]++;
              return;
            }
            String partId =
                item.subPartId(page.number() == 1 ? "i" + n : "i" + n + "." + page.number());
            Map<String, String> attributes =
                Map.of(
                    AttributeKeys.EMBEDDED_IMAGE,
                    image.name(),
                    AttributeKeys.MEDIA_TYPE,
                    image.mediaType());
            out.add(
                OcrResults.page(
                    item, partId, attributes, embeddedOcr.read(page.image(), page.dpi())));
          });
    } catch (MmflowException failed) {
      out.add(
          ExtractionResults.failedEmbeddedImage(
              item,
              item.subPartId("i" + n),
              image.name(),
              failed,
              embeddedOcr.info(),
              started,
              Instant.now()));
    }
  }

  @Override
  public void close() {
    if (extractor != null) {
      extractor.close();
    }
    if (embeddedOcr != null) {
      embeddedOcr.close();
    }
  }
}
