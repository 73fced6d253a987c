package io.mmflow.operators.infer.extract;

import static java.util.Objects.requireNonNull;

import io.mmflow.core.config.OcrOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.AttributeKeys;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.model.ocr.OcrSettings;
import io.mmflow.model.tika.EmbeddedImage;
import io.mmflow.model.tika.Extraction;
import io.mmflow.model.tika.ExtractionSettings;
import io.mmflow.model.tika.TikaExtractor;
import io.mmflow.operators.infer.ocr.PageOcr;
import io.mmflow.operators.normalize.ExtractionResults;
import io.mmflow.operators.normalize.OcrResults;
import io.mmflow.operators.preprocess.image.ImagePages;
import io.mmflow.operators.preprocess.ocr.OcrPreprocessingOptions;
import io.mmflow.operators.preprocess.page.PageLimits;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * The text layer of one document read with Apache Tika, and the images embedded in it read by OCR:
 * {@link ExtractionResults#tikaDocument} makes the document's result and {@link OcrResults} one
 * result per embedded image. The work of {@link ExtractDocumentText} in the jobs and of the SQL
 * functions over the same bytes, so both give the same rows.
 *
 * <p>The Tika parsers start with the first document and the Tesseract engine with the first
 * embedded image; one instance serves one thread; {@link #close()} frees both.
 */
public final class DocumentExtraction implements Serializable {
  private final ExtractionSettings settings;
  private final PageOcr embeddedOcr;
  private final PageLimits limits;
  private final long minEmbeddedPixels;
  private transient TikaExtractor extractor;

  /**
   * @param embeddedOcr reads the embedded images (when {@link
   *     ExtractionSettings#maxEmbeddedImages()} is positive); null for text layers only
   * @param limits pixel and page limits for decoding embedded images; null with no OCR
   * @param minEmbeddedPixels smaller embedded images (icons, logos) are not OCR'd
   */
  public DocumentExtraction(
      ExtractionSettings settings, PageOcr embeddedOcr, PageLimits limits, long minEmbeddedPixels) {
    this.settings = requireNonNull(settings, "settings is null");
    this.embeddedOcr = embeddedOcr;
    this.limits = limits;
    this.minEmbeddedPixels = minEmbeddedPixels;
  }

  /** As configured: Tika's limits, and OCR of embedded images when OCR is on. */
  public static DocumentExtraction from(Configuration config) {
    return new DocumentExtraction(
        ExtractionSettings.from(config),
        config.get(OcrOptions.ENABLED)
            ? new PageOcr(OcrSettings.from(config), OcrPreprocessingOptions.from(config))
            : null,
        PageLimits.from(config),
        config.get(OcrOptions.EMBEDDED_MIN_PIXELS));
  }

  /** Whether this reads the media type (the documents Tika has a text-layer parser for). */
  public static boolean handles(String mediaType) {
    return TikaExtractor.supports(mediaType);
  }

  /**
   * The results of the embedded images (parts {@code i<n>}), then the document's (its own part).
   *
   * @throws MmflowException when Tika cannot read the document, or neither its text layer nor its
   *     embedded images have text: the item's dead letter
   */
  public List<ModalityResult> read(MediaItem item) {
    Instant started = Instant.now();
    TikaExtractor tika = extractor();
    Extraction e = tika.apply(new TikaExtractor.Input(item.content(), item.mediaType()));
    List<ModalityResult> results = new ArrayList<>();
    int[] skipped = {e.embeddedImagesSkipped()};
    if (embeddedOcr != null && settings.maxEmbeddedImages() > 0) {
      int n = 0;
      for (EmbeddedImage image : e.embeddedImages()) {
        n++;
        if (!ImagePages.TYPES.contains(image.mediaType())) {
          skipped[0]++; // vector drawings (EMF, WMF, SVG): no raster to read
          continue;
        }
        ocrEmbedded(item, image, n, results, skipped);
      }
    }
    ModalityResult document =
        ExtractionResults.tikaDocument(
            item, e, results, skipped[0], tika.info(), started, Instant.now());
    if (document == null) {
      throw new MmflowException(
          ErrorCode.NO_CONTENT_EXTRACTED,
          "no text in "
              + e.mediaType()
              + ", nor in its "
              + e.embeddedImages().size()
              + " embedded images");
    }
    results.add(document);
    return results;
  }

  /**
   * The document's error result for a failure of {@link #read}, under the provenance a success
   * would have had: for callers that answer every input with a row (the SQL functions).
   */
  public ModalityResult failed(MediaItem item, MmflowException error, Instant started) {
    return ExtractionResults.failedDocument(
        item,
        extractor().info().provenance(item.sourceUri(), item.contentSha256(), false),
        error,
        started,
        Instant.now());
  }

  /**
   * The Tika parsers, started on first use. Parsers that cannot start are the job's problem (it
   * fails the task), not the document's dead letter: hence not an {@link MmflowException}.
   */
  private TikaExtractor extractor() {
    if (extractor == null) {
      try {
        extractor = new TikaExtractor(settings);
      } catch (MmflowException e) {
        throw new IllegalStateException("cannot start the Tika parsers: " + e.getMessage(), e);
      }
    }
    return extractor;
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

  public void close() {
    if (extractor != null) {
      extractor.close();
      extractor = null;
    }
    if (embeddedOcr != null) {
      embeddedOcr.close();
    }
  }
}
