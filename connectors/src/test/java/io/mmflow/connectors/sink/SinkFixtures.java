package io.mmflow.connectors.sink;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.model.BoundingBox;
import io.mmflow.core.model.Cost;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.Entity;
import io.mmflow.core.model.Label;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.Provenance;
import io.mmflow.core.model.Task;
import io.mmflow.core.model.TimeSpan;
import io.mmflow.core.model.Timing;
import java.time.Instant;
import java.util.List;

/** Records that the Iceberg and Postgres sink tests both write. */
public final class SinkFixtures {
  public static final Instant T = Instant.parse("2026-11-24T10:00:00Z");

  private SinkFixtures() {}

  /**
   * An OCR result with every nested value set: a word with a box, a spoken segment with a time
   * span, a label, an embedding, costs and an attribute.
   */
  public static ModalityResult result(String text, String version) {
    return ModalityResult.builder()
        .itemId("item-1")
        .partId("p2")
        .modality(Modality.OCR)
        .task(Task.OCR)
        .labels(List.of(new Label("invoice", 0.9)))
        .entities(
            List.of(
                new Entity("Total", "word", 0, 5, new BoundingBox(1, 2, 30, 10), null, 0.8),
                new Entity("hi", "segment", null, null, null, new TimeSpan(5, 9), null)))
        .text(text)
        .embedding(new float[] {0.5f, -0.25f})
        .confidence(0.8, "mean word confidence")
        .provenance(new Provenance("tesseract", "eng", version, "s3://b/k", "ab", false))
        .timing(Timing.of(T, T, T.plusMillis(40)))
        .cost(new Cost(3, 4, 0.001))
        .attribute("k", "v")
        .build();
  }

  /** A dead letter of a corrupt PDF at stage {@code extract}, without correlation id. */
  public static DeadLetter deadLetter(String message, byte[] payload) {
    return new DeadLetter(
        "bad-1",
        "0",
        null,
        "file:///x.pdf",
        "extract",
        ErrorCode.CORRUPT_INPUT,
        message,
        false,
        "application/pdf",
        12,
        "ff",
        T,
        payload);
  }
}
