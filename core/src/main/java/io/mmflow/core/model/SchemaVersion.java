package io.mmflow.core.model;

/**
 * Version of the canonical schema (MediaItem, ModalityResult, FusedResult, DeadLetter).
 *
 * <p>Bumped when a field changes meaning or is removed; adding an optional field does not bump it.
 * Readers ignore unknown fields, so an older job can read a newer record.
 */
public final class SchemaVersion {
  public static final int CURRENT = 1;

  private SchemaVersion() {}
}
