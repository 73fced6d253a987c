package io.mmflow.operators.preprocess.document;

import static java.util.Objects.requireNonNull;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.ResultError;
import io.mmflow.core.model.ResultStatus;
import io.mmflow.core.model.Task;
import io.mmflow.core.model.Timing;
import io.mmflow.model.tika.EmbeddedImage;
import io.mmflow.model.tika.Extraction;
import io.mmflow.model.tika.ExtractionSettings;
import io.mmflow.model.tika.TikaExtractor;
import io.mmflow.operators.DeadLetters;
import io.mmflow.operators.infer.ocr.PageOcr;
import io.mmflow.operators.metrics.RunCounters;
import io.mmflow.operators.preprocess.image.ImagePages;
import io.mmflow.operators.preprocess.page.PageLimits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Extracts the text layer of a document with Apache Tika into a {@link ModalityResult} (task
 * extraction, modality document). Documents Tika cannot read become dead letters with the code of
 * the failure; the job goes on.
 *
 * <p>Confidence: the text of a text layer is read, not inferred, so a complete extraction has
 * confidence 1.0 (calibration {@value #CALIBRATION}); a truncated one is marked degraded.
 */
public final class ExtractDocumentText extends ProcessFunction<MediaItem, ModalityResult> {
  public static final String STAGE = "extract";
  static final String CALIBRATION = "deterministic text layer";

  static final String MIXED_CALIBRATION =
      "char-weighted mean of text layer (1.0) and embedded-image OCR confidences";

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
    String text = e.text();
    double weighted = text.length();
    long chars = text.length();
    for (ModalityResult r : imageResults) {
      if (r.status() != ResultStatus.ERROR && r.text() != null && !r.text().isBlank()) {
        text = text.isBlank() ? r.text() : text + "\n\n" + r.text();
        weighted += r.confidence() * r.text().length();
        chars += r.text().length();
      }
    }
    if (text.isBlank()) {
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
    boolean ocrText = chars > e.text().length();
    Instant finished = Instant.now();
    ModalityResult.Builder result =
        ModalityResult.builder()
            .forItem(item)
            .modality(Modality.DOCUMENT)
            .task(Task.EXTRACTION)
            .status(e.truncated() ? ResultStatus.DEGRADED : ResultStatus.OK)
            .text(text)
            .language(e.language())
            .pageCount(e.pageCount())
            .confidence(ocrText ? weighted / chars : 1.0, ocrText ? MIXED_CALIBRATION : CALIBRATION)
            .provenance(extractor.info().provenance(item.sourceUri(), item.contentSha256(), false))
            .timing(Timing.of(item.eventTime(), started, finished))
            .attribute("media_type", e.mediaType())
            .attribute("truncated", Boolean.toString(e.truncated()))
            .attribute("characters", Integer.toString(e.text().length()))
            .attribute(
                "language_score",
                e.languageScore() == null
                    ? null
                    : String.format(java.util.Locale.ROOT, "%.4f", e.languageScore()));
    e.metadata().forEach((k, v) -> result.attribute("doc." + k, v));
    if (!e.embeddedImages().isEmpty() || skipped[0] > 0) {
      result.attribute("embedded_images_ocr", Integer.toString(imageResults.size()));
      result.attribute("embedded_images_skipped", Integer.toString(skipped[0]));
    }
    result.sourceAttributes(item);
    for (ModalityResult r : imageResults) {
      results.increment();
      out.collect(r);
    }
    results.increment();
    itemsDone.increment();
    out.collect(result.build());
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
            ModalityResult.Builder b =
                ModalityResult.builder()
                    .forItem(item)
                    .partId(
                        item.subPartId(
                            page.number() == 1 ? "i" + n : "i" + n + "." + page.number()))
                    .attribute("embedded_image", image.name())
                    .attribute("media_type", image.mediaType());
            out.add(embeddedOcr.recognize(b, item, page.image(), page.dpi()));
          });
    } catch (MmflowException failed) {
      out.add(
          ModalityResult.builder()
              .forItem(item)
              .partId(item.subPartId("i" + n))
              .modality(Modality.OCR)
              .task(Task.OCR)
              .error(ResultError.of(failed.code(), failed.getMessage()))
              .provenance(
                  embeddedOcr.info().provenance(item.sourceUri(), item.contentSha256(), false))
              .timing(Timing.of(item.eventTime(), started, Instant.now()))
              .attribute("embedded_image", image.name())
              .build());
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
