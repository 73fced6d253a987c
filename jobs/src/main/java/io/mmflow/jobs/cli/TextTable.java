package io.mmflow.jobs.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Query results as a text table, the way SQL shells print them: a header, one line per row, cells
 * on one line (whitespace collapsed) and cut to a width, NULL for nulls, and the row count.
 */
final class TextTable {
  /** The option of the commands that print tables. */
  static final class Width {
    @Option(
        names = "--max-width",
        paramLabel = "N",
        defaultValue = "60",
        description = "Cut cell values longer than N characters (default ${DEFAULT-VALUE}).")
    int maxWidth;
  }

  private final String[] header;
  private final int maxWidth;
  private final List<String[]> rows = new ArrayList<>();

  TextTable(String[] header, int maxWidth) {
    this.header = header.clone();
    this.maxWidth = Math.max(maxWidth, 2);
  }

  /** Adds a row of cell texts (null for NULL). */
  void add(String[] cells) {
    String[] row = new String[header.length];
    for (int i = 0; i < row.length; i++) {
      String v = i < cells.length ? cells[i] : null;
      v = v == null ? "NULL" : v.replaceAll("\\s+", " ");
      row[i] = v.length() > maxWidth ? v.substring(0, maxWidth - 1) + "…" : v;
    }
    rows.add(row);
  }

  void print(PrintWriter out) {
    int[] widths = new int[header.length];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = header[i].length();
      for (String[] r : rows) {
        widths[i] = Math.max(widths[i], r[i].length());
      }
    }
    StringBuilder line = new StringBuilder("+");
    for (int w : widths) {
      line.append("-".repeat(w + 2)).append('+');
    }
    out.println(line);
    out.println(format(header, widths));
    out.println(line);
    for (String[] r : rows) {
      out.println(format(r, widths));
    }
    out.println(line);
    out.println(rows.size() + (rows.size() == 1 ? " row" : " rows"));
    out.flush();
  }

  private static String format(String[] cells, int[] widths) {
    StringBuilder sb = new StringBuilder("|");
    for (int i = 0; i < cells.length; i++) {
      sb.append(' ')
          .append(cells[i])
          .append(" ".repeat(widths[i] - cells[i].length()))
          .append(" |");
    }
    return sb.toString();
  }
}
