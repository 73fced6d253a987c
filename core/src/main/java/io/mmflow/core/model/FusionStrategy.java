package io.mmflow.core.model;

/** How the modality results of one window are combined. */
public enum FusionStrategy {
  /** Fixed weight per modality, normalised over the modalities present. */
  WEIGHTED_AVERAGE,
  /** Each modality weighted by its calibrated confidence. */
  CONFIDENCE_WEIGHTED,
  /** The label most modalities agree on; ties broken by confidence. */
  MAJORITY_VOTE,
  /** A documented precedence of modalities; the first present and confident one decides. */
  HIERARCHICAL
}
