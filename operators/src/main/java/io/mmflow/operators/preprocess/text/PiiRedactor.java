package io.mmflow.operators.preprocess.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Replaces the PII spans of a text with placeholders ({@link PiiType#placeholder()}, e.g. {@code
 * [EMAIL]}) and records where each went, so that answers about the redacted text can be mapped
 * back.
 */
public final class PiiRedactor {
  private final PiiDetector detector;

  public PiiRedactor(PiiDetector detector) {
    if (detector == null) {
      throw new IllegalArgumentException("detector must not be null");
    }
    this.detector = detector;
  }

  /**
   * One replaced span.
   *
   * @param span where the PII was, in the original text
   * @param start where its placeholder starts in the redacted text
   * @param end where its placeholder ends (exclusive) in the redacted text
   */
  public record Replacement(PiiSpan span, int start, int end) {}

  /**
   * The redacted text and its replacements, in order.
   *
   * @param text the text with every span replaced by its placeholder
   * @param replacements one per span, sorted by position
   */
  public record Redaction(String text, List<Replacement> replacements) {
    public Redaction {
      replacements = List.copyOf(replacements);
    }

    /** The spans, with offsets into the original text. */
    public List<PiiSpan> spans() {
      return replacements.stream().map(Replacement::span).toList();
    }

    /**
     * The offset in the original text of redacted-text offset {@code redacted}; offsets inside a
     * placeholder map to the start of its span.
     */
    public int toOriginal(int redacted) {
      int shift = 0;
      for (Replacement r : replacements) {
        if (redacted < r.start()) {
          break;
        }
        if (redacted < r.end()) {
          return r.span().start();
        }
        shift = r.span().end() - r.end();
      }
      return redacted + shift;
    }
  }

  /** Detects PII in {@code text} and replaces it. */
  public Redaction redact(String text) {
    return redact(text, detector.detect(text));
  }

  /**
   * Replaces {@code spans} (sorted by start, not overlapping, offsets into {@code text}) with their
   * placeholders.
   */
  public static Redaction redact(String text, List<PiiSpan> spans) {
    StringBuilder out = new StringBuilder(text.length());
    List<Replacement> replacements = new ArrayList<>(spans.size());
    int at = 0;
    for (PiiSpan span : spans) {
      if (span.start() < at || span.end() > text.length()) {
        throw new IllegalArgumentException("spans must be sorted, disjoint and inside the text");
      }
      out.append(text, at, span.start());
      int start = out.length();
      out.append(span.type().placeholder());
      replacements.add(new Replacement(span, start, out.length()));
      at = span.end();
    }
    out.append(text, at, text.length());
    return new Redaction(out.toString(), replacements);
  }
}
