package io.mmflow.operators.fusion;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.model.Label;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.Provenance;
import io.mmflow.core.model.ResultError;
import io.mmflow.core.model.Task;
import io.mmflow.core.model.Timing;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Hand-built modality results for the fusion tests. */
final class FusionFixtures {
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final AtomicInteger IDS = new AtomicInteger();

  private FusionFixtures() {}

  /** A sentiment result of {@code modality} at {@code T0 + atMs}; labels as "positive=0.8". */
  static ModalityResult sentiment(
      String correlationId, Modality modality, long atMs, Double confidence, String... labels) {
    return builder(correlationId, modality, Task.SENTIMENT, atMs)
        .labels(labels(labels))
        .confidence(confidence, confidence == null ? null : "temperature")
        .build();
  }

  static ModalityResult sentiment(Modality modality, Double confidence, String... labels) {
    return sentiment("c1", modality, 0, confidence, labels);
  }

  /** A failed sentiment task of {@code modality}. */
  static ModalityResult failed(String correlationId, Modality modality, long atMs) {
    return builder(correlationId, modality, Task.SENTIMENT, atMs)
        .error(ResultError.of(ErrorCode.CONFIGURATION_INVALID, "model failed"))
        .build();
  }

  static ModalityResult.Builder builder(
      String correlationId, Modality modality, Task task, long atMs) {
    Instant at = T0.plusMillis(atMs);
    return ModalityResult.builder()
        .itemId("item-" + IDS.incrementAndGet())
        .correlationId(correlationId)
        .modality(modality)
        .task(task)
        .provenance(new Provenance("onnxruntime", "m", "1", "file:///x", null, false))
        .timing(Timing.of(at, at, at));
  }

  static List<Label> labels(String... labels) {
    List<Label> out = new ArrayList<>();
    for (String l : labels) {
      String[] kv = l.split("=");
      out.add(new Label(kv[0], Double.parseDouble(kv[1])));
    }
    return out;
  }
}
