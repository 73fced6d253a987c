package io.mmflow.core.model;

import java.util.Locale;

/** The kind of signal a part carries. */
public enum Modality {
  TEXT,
  IMAGE,
  AUDIO,
  DOCUMENT,
  OCR;

  /** The lowercase name stored in tables, e.g. {@code document}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name in any case; throws with the accepted names when it is unknown. */
  public static Modality fromWireName(String name) {
    return SchemaEnums.parse(Modality.class, name);
  }
}
