package io.mmflow.core.model;

import static io.mmflow.core.util.Checks.checkUnitInterval;
import static io.mmflow.core.util.Checks.requireNonBlank;

import java.util.List;

/**
 * The fused sentiment of a window.
 *
 * @param label winning label, e.g. {@code positive}
 * @param score the fused score of that label in [0,1]
 * @param confidence calibrated confidence of the fused decision in [0,1]
 * @param contributingModalities modalities whose results took part
 */
public record OverallSentiment(
    String label, double score, double confidence, List<Modality> contributingModalities) {
  public OverallSentiment {
    requireNonBlank(label, "sentiment label");
    checkUnitInterval(score, "sentiment score");
    checkUnitInterval(confidence, "sentiment confidence");
    contributingModalities =
        contributingModalities == null ? List.of() : List.copyOf(contributingModalities);
  }
}
