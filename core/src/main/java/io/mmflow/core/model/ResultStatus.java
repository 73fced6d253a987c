package io.mmflow.core.model;

import java.util.Locale;

/** Outcome of one modality task. */
public enum ResultStatus {
  /** The task ran and its output is complete. */
  OK,
  /**
   * The task ran but its output is partial (truncated text, a fallback model, a cache of an older
   * version).
   */
  DEGRADED,
  /** The task did not produce output; {@link ModalityResult#error()} says why. */
  ERROR;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
