package io.mmflow.jobs.cli;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A SQL script cut into statements at the semicolons outside string literals ({@code '...'} with
 * {@code ''} inside), quoted identifiers ({@code `...`}) and comments ({@code --} to the end of the
 * line, {@code /* ... *}{@code /}). Comments are kept inside their statement; blank statements are
 * dropped.
 */
public final class SqlScript {
  private SqlScript() {}

  private static final java.util.regex.Pattern VARIABLE =
      java.util.regex.Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  /**
   * {@code script} with each {@code ${NAME}} replaced by its value in {@code vars}.
   *
   * @throws MmflowException {@link ErrorCode#CONFIGURATION_INVALID} naming a variable without value
   */
  static String substitute(String script, Map<String, String> vars) {
    java.util.regex.Matcher m = VARIABLE.matcher(script);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = vars.get(m.group(1));
      if (value == null) {
        throw new MmflowException(
            ErrorCode.CONFIGURATION_INVALID,
            "the script uses ${" + m.group(1) + "}: pass --var " + m.group(1) + "=VALUE");
      }
      m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(value));
    }
    return m.appendTail(out).toString();
  }

  /** The statements of {@code script}, without their semicolons. */
  public static List<String> split(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int i = 0;
    int n = script.length();
    while (i < n) {
      char c = script.charAt(i);
      if (c == '\'' || c == '`') {
        int end = closing(script, i, c);
        current.append(script, i, end);
        i = end;
      } else if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
        int end = script.indexOf('\n', i);
        end = end < 0 ? n : end;
        current.append(script, i, end);
        i = end;
      } else if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
        int end = script.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        current.append(script, i, end);
        i = end;
      } else if (c == ';') {
        add(out, current);
        i++;
      } else {
        current.append(c);
        i++;
      }
    }
    add(out, current);
    return out;
  }

  /**
   * Whether {@code text} ends with a whole statement: its last token outside comments is a
   * semicolon outside any literal (what the interactive shell waits for before it runs a line).
   */
  static boolean complete(String text) {
    boolean ended = false;
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\'' || c == '`') {
        int end = closing(text, i, c);
        if (end == n && (end - i < 2 || text.charAt(n - 1) != c)) {
          return false; // an open literal
        }
        ended = false;
        i = end;
      } else if (c == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
        int end = text.indexOf('\n', i);
        i = end < 0 ? n : end;
      } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
        int end = text.indexOf("*/", i + 2);
        if (end < 0) {
          return false; // an open comment
        }
        i = end + 2;
      } else {
        if (c == ';') {
          ended = true;
        } else if (!Character.isWhitespace(c)) {
          ended = false;
        }
        i++;
      }
    }
    return ended;
  }

  /** Whether {@code statement} writes to tables (INSERT, a statement set): it runs as a job. */
  static boolean writes(String statement) {
    String s =
        statement
            .replaceAll("(?s)/\\*.*?\\*/", " ")
            .replaceAll("--[^\\n]*", " ")
            .strip()
            .toLowerCase(java.util.Locale.ROOT);
    return s.startsWith("insert")
        || s.startsWith("execute statement set")
        || s.startsWith("begin statement set")
        || s.startsWith("execute insert");
  }

  /** The index after the literal or identifier opened by {@code quote} at {@code start}. */
  private static int closing(String s, int start, char quote) {
    int i = start + 1;
    while (i < s.length()) {
      if (s.charAt(i) == quote) {
        if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
          i += 2; // a doubled quote stands for one
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return s.length();
  }

  private static void add(List<String> out, StringBuilder current) {
    String statement = current.toString().strip();
    if (!statement.isEmpty() && !onlyComments(statement)) {
      out.add(statement);
    }
    current.setLength(0);
  }

  private static boolean onlyComments(String statement) {
    return statement
        .replaceAll("(?s)/\\*.*?\\*/", "")
        .replaceAll("--[^\\n]*", "")
        .strip()
        .isEmpty();
  }
}
