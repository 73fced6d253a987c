package io.mmflow.core.model;

import static io.mmflow.core.util.Checks.requireNonBlank;

/**
 * One label with its score.
 *
 * @param name the label, e.g. {@code positive}
 * @param score calibrated probability of the label in [0,1]
 */
public record Label(String name, double score) {
  public Label {
    requireNonBlank(name, "label name");
    io.mmflow.core.util.Checks.checkUnitInterval(score, "label score");
  }
}
