package io.mmflow.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.core.model.FusedResult;
import io.mmflow.core.model.Label;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.Provenance;
import io.mmflow.core.model.Task;
import io.mmflow.core.model.Timing;
import io.mmflow.operators.fusion.FusionSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bare loop's fusion: the job's session windows (gap 1 min, watermark 5 s behind). */
class BareFusionTest {
  private static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");
  private int ids;

  private ModalityResult text(String conversation, long atMs, String label) {
    Instant at = T0.plusMillis(atMs);
    return ModalityResult.builder()
        .itemId("item-" + ++ids)
        .correlationId(conversation)
        .modality(Modality.TEXT)
        .task(Task.SENTIMENT)
        .labels(List.of(new Label(label, 0.9)))
        .provenance(new Provenance("onnxruntime", "m", "1", "file:///x", null, false))
        .timing(Timing.of(at, at, at))
        .build();
  }

  @Test
  void aSessionIsFusedOnceTheEventTimesPassItsEndAndTheOutOfOrderness() {
    BareFusion fusion = new BareFusion(FusionSettings.defaults());
    List<FusedResult> out = new ArrayList<>();
    fusion.add(text("c1", 0, "positive"), out);
    fusion.add(text("c2", 500, "negative"), out);
    fusion.add(text("c1", 1_000, "positive"), out);
    fusion.fuseDue(out);
    assertThat(out).isEmpty();
    assertThat(fusion.open()).isEqualTo(2);

    fusion.add(text("c3", 65_499, "neutral"), out); // watermark 60,499: c2's end is 60,500
    fusion.fuseDue(out);
    assertThat(out).isEmpty();
    fusion.add(text("c3", 66_000, "neutral"), out); // watermark 61,000: both end by then
    fusion.fuseDue(out);
    assertThat(out).extracting(FusedResult::correlationId).containsExactly("c2", "c1");
    FusedResult c1 = out.get(1);
    assertThat(c1.windowStart()).isEqualTo(T0);
    assertThat(c1.windowEnd()).isEqualTo(T0.plusMillis(61_000));
    assertThat(c1.resultCount()).isEqualTo(2);
    assertThat(c1.sentiment().label()).isEqualTo("positive");
    assertThat(fusion.open()).isEqualTo(1);
  }

  @Test
  void anEventAtASessionsEndExtendsItOneAfterItFusesItAndOpensTheNext() {
    BareFusion fusion = new BareFusion(FusionSettings.defaults());
    List<FusedResult> out = new ArrayList<>();
    fusion.add(text("c1", 0, "positive"), out);
    fusion.add(text("c1", 60_000, "negative"), out); // touches [0, 60,000): one session
    assertThat(out).isEmpty();
    fusion.add(text("c1", 120_001, "negative"), out); // after [0, 120,000)
    assertThat(out)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.resultCount()).isEqualTo(2);
              assertThat(f.windowEnd()).isEqualTo(T0.plusMillis(120_000));
            });
    assertThat(fusion.open()).isEqualTo(1);
    fusion.add(text("c9", 185_001, "neutral"), out);
    fusion.fuseDue(out);
    assertThat(out).hasSize(2);
    assertThat(out.get(1).windowStart()).isEqualTo(T0.plusMillis(120_001));
  }
}
