package io.mmflow.operators.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.AttributeKeys;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.ResultStatus;
import io.mmflow.core.model.Task;
import io.mmflow.model.ModelInfo;
import io.mmflow.model.ocr.OcrPage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExtractionResultsTest {
  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
  private static final Instant T1 = T0.plusMillis(250);
  private static final ModelInfo TESSERACT = new ModelInfo("tesseract", "tesseract-eng", "5.3.0");

  @Test
  void aDocumentOfPagesHasTheCharacterWeightedMeanOfItsPagesConfidences() {
    MediaItem pdf = item("application/pdf");
    ModalityResult layer = textLayer(pdf, 1, "abcdef"); // 6 chars at 1.0
    ModalityResult ocr = ocr(pdf, 2, "xy", 0.4); // 2 chars at 0.4

    ModalityResult doc =
        ExtractionResults.pagesDocument(pdf, List.of(layer, ocr), provenance(pdf), false, T0, T1);

    assertThat(doc.partId()).isEqualTo("0");
    assertThat(doc.task()).isEqualTo(Task.EXTRACTION);
    assertThat(doc.modality()).isEqualTo(Modality.DOCUMENT);
    assertThat(doc.status()).isEqualTo(ResultStatus.OK);
    assertThat(doc.text()).isEqualTo("abcdef\n\nxy");
    assertThat(doc.pageCount()).isEqualTo(2);
    assertThat(doc.confidence()).isCloseTo((6 * 1.0 + 2 * 0.4) / 8, within(1e-9));
    assertThat(doc.calibration()).isEqualTo(ExtractionResults.PAGES_CALIBRATION);
    assertThat(doc.attributes())
        .containsEntry("pages_ocr", "1")
        .containsEntry("pages_failed", "0")
        .containsEntry(AttributeKeys.CHARACTERS, "10")
        .containsEntry(AttributeKeys.MEDIA_TYPE, "application/pdf");
    assertThat(doc.timing().latencyMs()).isEqualTo(250);
  }

  @Test
  void aFailedPageMakesItsDocumentDegradedNotLost() {
    MediaItem pdf = item("application/pdf");
    ModalityResult failed =
        ExtractionResults.failedPage(
            pdf,
            pdf.subPartId("p2"),
            Map.of(AttributeKeys.PAGE_NUMBER, "2"),
            new MmflowException(ErrorCode.INPUT_TOO_LARGE, "page 2 has too many pixels"),
            T0,
            T1);
    assertThat(failed.status()).isEqualTo(ResultStatus.ERROR);
    assertThat(failed.error().code()).isEqualTo(ErrorCode.INPUT_TOO_LARGE);
    assertThat(failed.attributes()).containsEntry(AttributeKeys.PAGE_SOURCE, "none");

    ModalityResult doc =
        ExtractionResults.pagesDocument(
            pdf, List.of(textLayer(pdf, 1, "text"), failed), provenance(pdf), false, T0, T1);

    assertThat(doc.status()).isEqualTo(ResultStatus.DEGRADED);
    assertThat(doc.attributes()).containsEntry("pages_failed", "1");
  }

  @Test
  void pagesWithoutTextAreNoDocumentExceptAFeedsPhoto() {
    MediaItem pdf = item("application/pdf");
    MediaItem photo = item("image/jpeg");
    List<ModalityResult> blankPdf = List.of(ocr(pdf, 1, "", 0));
    List<ModalityResult> blankPhoto = List.of(ocr(photo, 1, "", 0));

    assertThat(ExtractionResults.pagesDocument(pdf, blankPdf, provenance(pdf), true, T0, T1))
        .isNull();
    assertThat(ExtractionResults.pagesDocument(photo, blankPhoto, provenance(photo), false, T0, T1))
        .isNull();
    ModalityResult result =
        ExtractionResults.pagesDocument(photo, blankPhoto, provenance(photo), true, T0, T1);
    assertThat(result.status()).isEqualTo(ResultStatus.OK);
    assertThat(result.text()).isEmpty();
    assertThat(result.confidence()).isNull();
    assertThat(result.attributes()).containsEntry("text_found", "false");
  }

  @Test
  void aTextPartKeepsItsTextAndTheSourcesAttributes() {
    MediaItem post = item("text/plain");
    ModalityResult r = ExtractionResults.textPart(post, "hello", T0, T1);
    assertThat(r.modality()).isEqualTo(Modality.TEXT);
    assertThat(r.text()).isEqualTo("hello");
    assertThat(r.confidence()).isEqualTo(1.0);
    assertThat(r.provenance().modelId()).isEqualTo("utf8-text");
    assertThat(r.attributes())
        .containsEntry(AttributeKeys.SOURCE_PREFIX + "kafka.offset", "7")
        .containsEntry(AttributeKeys.SIZE_BYTES, "3");
  }

  private static ModalityResult textLayer(MediaItem item, int page, String text) {
    return ExtractionResults.textLayerPage(
        item, item.subPartId("p" + page), pageAttributes(page), text, T0, T1);
  }

  private static ModalityResult ocr(MediaItem item, int page, String text, double confidence) {
    OcrResults.Reading reading =
        new OcrResults.Reading(
            new OcrPage(text, List.of(), confidence, 0), TESSERACT, 300, 0, 0.5, "gray", T0, T1);
    return OcrResults.page(item, item.subPartId("p" + page), pageAttributes(page), reading);
  }

  private static Map<String, String> pageAttributes(int page) {
    return Map.of(AttributeKeys.PAGE_NUMBER, Integer.toString(page));
  }

  private static io.mmflow.core.model.Provenance provenance(MediaItem item) {
    return ExtractionResults.pagesProvenance(item, TESSERACT, "eng");
  }

  private static MediaItem item(String mediaType) {
    byte[] bytes = {1, 2, 3};
    return new MediaItem(
        "item-1",
        "0",
        null,
        T0,
        "file:/in/x",
        mediaType,
        bytes.length,
        "sha",
        bytes,
        null,
        Map.of("kafka.offset", "7"));
  }
}
