package io.mmflow.model.tika;

import java.util.List;
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
 * @param embeddedImages images found inside the document, kept for OCR
 * @param embeddedImagesSkipped images seen beyond the count or size limit
 */
public record Extraction(
    String text,
    String mediaType,
    Integer pageCount,
    boolean truncated,
    String language,
    Double languageScore,
    Map<String, String> metadata,
    List<EmbeddedImage> embeddedImages,
    int embeddedImagesSkipped) {
  public Extraction {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    embeddedImages = embeddedImages == null ? List.of() : List.copyOf(embeddedImages);
  }
}
