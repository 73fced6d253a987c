package io.mmflow.model.tika;

import java.util.Map;

/**
 * Text extracted from a document.
 *
 * @param text the body text, whitespace tidied
 * @param mediaType the type Tika parsed it as
 * @param pageCount pages (or slides) when the format records them, else null
 * @param truncated whether the write limit cut the text
 * @param language ISO 639-1 code, or null when unknown or not asked for
 * @param languageScore the language detector's score for {@code language}
 * @param metadata a few document properties (title, author, created), when present
 */
public record Extraction(
    String text,
    String mediaType,
    Integer pageCount,
    boolean truncated,
    String language,
    Double languageScore,
    Map<String, String> metadata) {
  public Extraction {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }
}
