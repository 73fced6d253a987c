package io.mmflow.core.model;

/** Outcome of a fused window. */
public enum FusionStatus {
  /** Every expected modality is present and succeeded. */
  SUCCESS,
  /** At least one modality succeeded and at least one is missing or failed. */
  PARTIAL_FAILURE,
  /** No modality succeeded. */
  ERROR
}
