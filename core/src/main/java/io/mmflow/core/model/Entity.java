package io.mmflow.core.model;

import static io.mmflow.core.util.Checks.checkArgument;
import static io.mmflow.core.util.Checks.requireNonBlank;

/**
 * Something found in a part: a word on a page, a named entity, a PII match, a spoken segment.
 *
 * @param text the entity's text
 * @param type e.g. {@code word}, {@code line}, {@code person}, {@code email}, {@code segment}
 * @param charStart start offset in {@link ModalityResult#text()}, inclusive; null when not textual
 * @param charEnd end offset, exclusive; null when not textual
 * @param box where on the page or image; null when not visual
 * @param audioSpan where in the clip; null when not audio
 * @param confidence calibrated confidence in [0,1]; null when the source gives none
 */
public record Entity(
    String text,
    String type,
    Integer charStart,
    Integer charEnd,
    BoundingBox box,
    TimeSpan audioSpan,
    Double confidence) {
  public Entity {
    requireNonBlank(type, "entity type");
    text = text == null ? "" : text;
    checkArgument(
        charStart == null || charEnd == null || (charStart >= 0 && charEnd >= charStart),
        "bad character span [%s, %s)",
        charStart,
        charEnd);
    if (confidence != null) {
      io.mmflow.core.util.Checks.checkUnitInterval(confidence, "entity confidence");
    }
  }
}
