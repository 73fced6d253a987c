package io.mmflow.operators.preprocess.text;

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

  /** Whether the two spans share at least one char. */
  public boolean overlaps(PiiSpan other) {
    return start < other.end && other.start < end;
  }
}
