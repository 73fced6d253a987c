package io.mmflow.core.error;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials from text before it reaches a log line, an error result or a dead letter.
 *
 * <p>Covers key/value pairs named like secrets, bearer tokens, OpenAI-style keys, AWS access key
 * ids and passwords embedded in URLs. It errs on the side of masking.
 */
public final class SecretScrubber {
  /** Longest message kept; dead letters are not a place for whole stack dumps. */
  public static final int MAX_MESSAGE_LENGTH = 2000;

  private static final String MASK = "***";

  private static final Pattern KEY_VALUE =
      Pattern.compile(
          "(?i)\\b(password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|secret[_-]?key"
              + "|authorization|credential)s?(\\s*[=:]\\s*)((?:bearer|basic)\\s+)?(\"[^\"]*\"|'[^']*'|[^\\s,;&]+)");
  private static final Pattern BEARER =
      Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]{6,}");
  private static final Pattern URL_USERINFO = Pattern.compile("(://[^/\\s:@]+):[^@\\s/]+@");
  private static final List<Pattern> TOKENS =
      List.of(
          Pattern.compile("\\bsk-[A-Za-z0-9_-]{8,}"),
          Pattern.compile("\\b(AKIA|ASIA)[0-9A-Z]{16}\\b"),
          Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{20,}"));

  private SecretScrubber() {}

  /** Returns {@code text} with secrets masked and cut to {@link #MAX_MESSAGE_LENGTH}. */
  public static String scrub(String text) {
    if (text == null) {
      return null;
    }
    String out =
        KEY_VALUE
            .matcher(text)
            .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK));
    out = BEARER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + " " + MASK));
    out =
        URL_USERINFO
            .matcher(out)
            .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + ":" + MASK + "@"));
    for (Pattern token : TOKENS) {
      out = token.matcher(out).replaceAll(MASK);
    }
    if (out.length() > MAX_MESSAGE_LENGTH) {
      out = out.substring(0, MAX_MESSAGE_LENGTH - 1) + "…";
    }
    return out;
  }
}
