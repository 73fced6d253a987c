package io.mmflow.operators.preprocess.text;

import io.mmflow.core.model.Entity;
import java.util.List;
import java.util.Locale;

/**
 * A piece of personal data in a text: {@code text} is {@code source.substring(start, end)}.
 *
 * @param type what it is
 * @param start first char index, inclusive
 * @param end last char index, exclusive
 * @param text the characters found
 */
public record PiiSpan(PiiType type, int start, int end, String text) {
  public PiiSpan {
    if (type == null || text == null) {
      throw new IllegalArgumentException("type and text must not be null");
    }
    if (start < 0 || end <= start || text.length() != end - start) {
      throw new IllegalArgumentException(
          "bad span " + start + ".." + end + " for " + text.length() + " chars");
    }
  }

  public int length() {
    return end - start;
  }

  /**
   * The span as a result entity: type {@code pii:<kind>}, the placeholder as its text and the
   * span's offsets; the value itself is never stored.
   */
  public Entity toEntity() {
    return new Entity(
        type.placeholder(),
        "pii:" + type.name().toLowerCase(Locale.ROOT),
        start,
        end,
        null,
        null,
        null);
  }

  /** {@link #toEntity()} of each span. */
  public static List<Entity> entities(List<PiiSpan> spans) {
    return spans.stream().map(PiiSpan::toEntity).toList();
  }

  /** Whether the two spans share at least one char. */
  public boolean overlaps(PiiSpan other) {
    return start < other.end && other.start < end;
  }
}
