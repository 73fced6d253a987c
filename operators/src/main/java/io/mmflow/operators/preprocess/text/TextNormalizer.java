package io.mmflow.operators.preprocess.text;

import java.text.Normalizer;

/**
 * Normalizes text before tokenizers, PII detection and remote providers:
 *
 * <ol>
 *   <li>control characters (Unicode Cc) and format characters (Cf: zero-width spaces and joiners,
 *       bidi marks, soft hyphens, BOMs) are removed, except tab and the line breaks: CR, LF, CR LF,
 *       NEL, LINE and PARAGRAPH SEPARATOR all count as one line break;
 *   <li>Unicode NFKC ({@link Normalizer.Form#NFKC}): compatibility forms become their plain
 *       equivalents (full-width letters, ligatures, non-breaking and typographic spaces);
 *   <li>every run of whitespace that holds a line break becomes one {@code \n} (so paragraph
 *       breaks, blank lines included, are kept as one {@code \n}), every other run one space;
 *   <li>the ends are trimmed.
 * </ol>
 *
 * Removing format characters also removes the zero-width joiner inside emoji sequences, which then
 * show as their parts.
 */
public final class TextNormalizer {
  private TextNormalizer() {}

  /** The normalized text. */
  public record NormalizedText(String text) {
    public NormalizedText {
      if (text == null) {
        throw new IllegalArgumentException("text must not be null");
      }
    }
  }

  /** Normalizes {@code text} as described in the class comment. */
  public static NormalizedText normalize(String text) {
    if (text == null) {
      throw new IllegalArgumentException("text must not be null");
    }
    if (isCleanAscii(text)) {
      return new NormalizedText(text); // already what the steps below would make of it
    }
    StringBuilder kept = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == '\r') {
        kept.append('\n');
        if (i < text.length() && text.charAt(i) == '\n') {
          i++;
        }
      } else if (isLineBreak(cp) || cp == '\t') {
        kept.append(isLineBreak(cp) ? '\n' : '\t');
      } else {
        int type = Character.getType(cp);
        if (type != Character.CONTROL && type != Character.FORMAT) {
          kept.appendCodePoint(cp);
        }
      }
    }
    // ASCII is its own NFKC form: most texts skip the normalizer's own pass
    String nfkc =
        isAscii(kept) ? kept.toString() : Normalizer.normalize(kept, Normalizer.Form.NFKC);
    StringBuilder out = new StringBuilder(nfkc.length());
    boolean inSpace = false;
    boolean lineBreak = false;
    for (int i = 0; i < nfkc.length(); ) {
      int cp = nfkc.codePointAt(i);
      i += Character.charCount(cp);
      if (isSpace(cp)) {
        inSpace = true;
        lineBreak |= cp == '\n';
        continue;
      }
      if (inSpace && out.length() > 0) {
        out.append(lineBreak ? '\n' : ' ');
      }
      inSpace = false;
      lineBreak = false;
      out.appendCodePoint(cp);
    }
    return new NormalizedText(out.toString());
  }

  /**
   * Printable ASCII with single spaces between words and none at the ends: every step leaves such a
   * text as it is.
   */
  static boolean isCleanAscii(String text) {
    int n = text.length();
    if (n > 0 && (text.charAt(0) == ' ' || text.charAt(n - 1) == ' ')) {
      return false;
    }
    char previous = 'x';
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c > 0x7E || (c == ' ' && previous == ' ')) {
        return false;
      }
      previous = c;
    }
    return true;
  }

  private static boolean isAscii(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0x7F) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLineBreak(int cp) {
    return cp == '\n' || cp == 0x0B || cp == 0x0C || cp == 0x85 || cp == 0x2028 || cp == 0x2029;
  }

  private static boolean isSpace(int cp) {
    return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
  }
}
