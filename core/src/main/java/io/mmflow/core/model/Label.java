package io.mmflow.core.model;

import static io.mmflow.core.util.Checks.requireNonBlank;

/**
 * One label with its score.
 *
 * @param label the label, e.g. {@code positive}
 * @param score calibrated probability of the label in [0,1]
 */
public record Label(String label, double score) {
  public Label {
    requireNonBlank(label, "label");
    io.mmflow.core.util.Checks.checkUnitInterval(score, "label score");
  }
}
