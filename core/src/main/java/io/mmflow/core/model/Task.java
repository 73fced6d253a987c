package io.mmflow.core.model;

import java.util.Locale;

/** What was asked of a model for one part. */
public enum Task {
  EXTRACTION,
  OCR,
  SENTIMENT,
  CLASSIFICATION,
  LANGUAGE,
  TRANSCRIPTION,
  EMBEDDING,
  CAPTION,
  ENTITIES,
  SUMMARY;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Task fromWireName(String name) {
    return SchemaEnums.parse(Task.class, name);
  }
}
