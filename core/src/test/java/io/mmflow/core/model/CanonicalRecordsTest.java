package io.mmflow.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.serde.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalRecordsTest {
  static final Instant T0 = Instant.parse("2026-11-24T10:15:30.123Z");

  static MediaItem item() {
    return new MediaItem(
        "item-1",
        null,
        null,
        T0,
        "file:///data/a.pdf",
        "application/pdf",
        5,
        "abc123",
        "hello".getBytes(StandardCharsets.UTF_8),
        null,
        Map.of("file.name", "a.pdf"));
  }

  static ModalityResult fullResult() {
    return ModalityResult.builder()
        .forItem(item())
        .partId("p1")
        .modality(Modality.OCR)
        .task(Task.OCR)
        .labels(List.of(new Label("positive", 0.8), new Label("negative", 0.2)))
        .entities(
            List.of(
                new Entity("Invoice", "word", 0, 7, new BoundingBox(10, 20, 80, 12), null, 0.93),
                new Entity("hi", "segment", null, null, null, new TimeSpan(100, 900), null)))
        .text("Invoice 42")
        .language("en")
        .pageCount(3)
        .embedding(new float[] {0.1f, -0.2f, 0.3f})
        .confidence(0.87, "mean word confidence / 100")
        .provenance(
            new Provenance("tesseract", "tesseract-eng", "5.3.0", "file:///a", "abc", false))
        .timing(Timing.of(T0, T0.plusMillis(10), T0.plusMillis(260)))
        .cost(new Cost(10, 20, 0.0004))
        .attribute("source", "ocr")
        .build();
  }

  @Test
  void mediaItemDefaultsPartAndCorrelation() {
    MediaItem item = item();
    assertThat(item.partId()).isEqualTo("0");
    assertThat(item.correlationId()).isEqualTo("item-1");
    assertThat(item.hasContent()).isTrue();
    assertThat(item.withMediaType("text/plain").mediaType()).isEqualTo("text/plain");
  }

  @Test
  void mediaItemJsonRoundTrip() {
    MediaItem item = item();
    String json = Json.write(item);
    assertThat(json).contains("\"content\":\"aGVsbG8=\"").contains("2026-11-24T10:15:30.123Z");
    assertThat(Json.read(json, MediaItem.class)).isEqualTo(item);
  }

  @Test
  void modalityResultJsonRoundTripKeepsEveryField() {
    ModalityResult result = fullResult();
    String json = Json.write(result);
    assertThat(json).contains("\"modality\":\"ocr\"").contains("\"status\":\"ok\"");
    ModalityResult back = Json.read(json, ModalityResult.class);
    assertThat(back).isEqualTo(result);
    assertThat(back.embedding()).containsExactly(0.1f, -0.2f, 0.3f);
    assertThat(back.timing().latencyMs()).isEqualTo(250);
    assertThat(back.resultKey()).isEqualTo("item-1/p1/ocr/5.3.0");
    assertThat(back.schemaVersion()).isEqualTo(SchemaVersion.CURRENT);
  }

  @Test
  void errorResultRoundTripsWithCode() {
    ModalityResult result =
        ModalityResult.builder()
            .itemId("i")
            .modality(Modality.TEXT)
            .task(Task.SENTIMENT)
            .provenance(new Provenance("openai", "gpt", "1", null, null, false))
            .timing(Timing.of(T0, T0, T0))
            .error(ResultError.of(ErrorCode.PROVIDER_TIMEOUT, "no answer in 30s"))
            .build();
    ModalityResult back = Json.read(Json.write(result), ModalityResult.class);
    assertThat(back.status()).isEqualTo(ResultStatus.ERROR);
    assertThat(back.error().code()).isEqualTo(ErrorCode.PROVIDER_TIMEOUT);
    assertThat(back.error().retryable()).isTrue();
  }

  @Test
  void readerIgnoresUnknownFieldsFromNewerWriters() {
    String json = Json.write(fullResult()).replaceFirst("\\{", "{\"addedLater\":42,");
    assertThat(Json.read(json, ModalityResult.class)).isEqualTo(fullResult());
  }

  @Test
  void fusedResultRoundTrip() {
    FusedResult fused =
        new FusedResult(
            "conv-7",
            T0,
            T0.plusSeconds(30),
            List.of(Modality.TEXT, Modality.IMAGE),
            List.of(Modality.AUDIO),
            new OverallSentiment("positive", 0.74, 0.66, List.of(Modality.TEXT, Modality.IMAGE)),
            0.9,
            FusionStrategy.CONFIDENCE_WEIGHTED,
            FusionStatus.PARTIAL_FAILURE,
            3,
            T0.plusSeconds(31),
            SchemaVersion.CURRENT);
    String json = Json.write(fused);
    assertThat(json).contains("\"strategy\":\"confidence_weighted\"");
    assertThat(Json.read(json, FusedResult.class)).isEqualTo(fused);
  }

  @Test
  void deadLetterRoundTripAndScrubbing() {
    DeadLetter dl =
        DeadLetter.of(item(), "extract", ErrorCode.CORRUPT_INPUT, "bad xref; password=hunter2");
    assertThat(dl.message()).isEqualTo("bad xref; password=***");
    assertThat(dl.retryable()).isFalse();
    assertThat(Json.read(Json.write(dl), DeadLetter.class)).isEqualTo(dl);
  }

  @Test
  void invalidValuesAreRefusedWithTheValueInTheMessage() {
    assertThatThrownBy(() -> new Label("positive", 1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("label score must be in [0,1], but was: 1.5");
    assertThatThrownBy(
            () -> new MediaItem(" ", null, null, T0, "file:///x", null, 0, null, null, null, null))
        .hasMessage("itemId must not be blank, but was: ' '");
    assertThatThrownBy(() -> new TimeSpan(500, 100)).hasMessage("bad time span [500, 100] ms");
    assertThatThrownBy(
            () ->
                ModalityResult.builder()
                    .itemId("i")
                    .modality(Modality.TEXT)
                    .task(Task.SENTIMENT)
                    .status(ResultStatus.ERROR)
                    .provenance(new Provenance("p", "m", "1", null, null, false))
                    .timing(Timing.of(T0, T0, T0))
                    .build())
        .hasMessageStartingWith("an error result must carry an error");
    assertThatThrownBy(() -> Modality.fromWireName("video"))
        .hasMessage("Unknown Modality 'video'; expected one of: text, image, audio, document, ocr");
  }
}
