package io.mmflow.jobs.backfill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A backfill's diff as an HTML page that opens in any browser without a network: per task the
 * counts, a heat map of the confusion matrix (old label → new label) and the confidence histograms
 * before and after, drawn as inline SVG.
 */
public final class BackfillReport {
  private BackfillReport() {}

  /** Writes the report of {@code b}'s diff to {@code file}. */
  public static void write(Path file, Backfill b, Map<String, BackfillDiff.TaskDiff> diff)
      throws IOException {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>mmflow backfill ")
        .append(esc(b.id()))
        .append("</title><style>")
        .append("body{font-family:sans-serif;margin:24px;color:#222}")
        .append("table{border-collapse:collapse;margin:8px 0}")
        .append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}")
        .append("th{background:#f4f4f4}.plots{display:flex;gap:32px;flex-wrap:wrap}")
        .append("</style></head><body>\n")
        .append("<h1>Backfill ")
        .append(esc(b.id()))
        .append("</h1>\n<p>Status: ")
        .append(esc(b.status().wireName()))
        .append(" &middot; inputs: ")
        .append(b.items())
        .append(" &middot; planned on ")
        .append(esc(b.createdAt().toString()))
        .append("</p>\n");
    if (diff.isEmpty()) {
      h.append("<p>The backfill wrote no results yet.</p>\n");
    }
    for (BackfillDiff.TaskDiff d : diff.values()) {
      h.append("<section><h2>Task ").append(esc(d.task)).append("</h2>\n");
      h.append("<table><tr><th>compared</th><th>new</th><th>label changed</th>")
          .append("<th>failed &rarr; ok</th><th>ok &rarr; failed</th>")
          .append("<th>mean confidence before</th><th>after</th>")
          .append("<th>cost before (USD)</th><th>cost now (USD)</th></tr>\n<tr>")
          .append(td(d.compared))
          .append(td(d.added))
          .append(td(d.labelChanged))
          .append(td(d.fixed))
          .append(td(d.broken))
          .append(td(fmt(d.meanConfidenceBefore())))
          .append(td(fmt(d.meanConfidenceAfter())))
          .append(td(String.format(Locale.ROOT, "%.4f", d.costBefore)))
          .append(td(String.format(Locale.ROOT, "%.4f", d.costAfter)))
          .append("</tr></table>\n<div class=\"plots\">\n")
          .append(heatMap(d))
          .append(histogram(d))
          .append("</div></section>\n");
    }
    h.append("</body></html>\n");
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, h.toString(), StandardCharsets.UTF_8);
  }

  /** The confusion matrix as a heat map: rows the old label, columns the new one. */
  static String heatMap(BackfillDiff.TaskDiff d) {
    TreeSet<String> labels = new TreeSet<>(d.confusion.keySet());
    d.confusion.values().forEach(m -> labels.addAll(m.keySet()));
    List<String> axis = new ArrayList<>(labels);
    long max = 1;
    for (Map<String, Long> row : d.confusion.values()) {
      for (long n : row.values()) {
        max = Math.max(max, n);
      }
    }
    int cell = 56;
    int left = 110;
    int top = 60;
    int size = Math.max(1, axis.size());
    int width = left + cell * size + 20;
    int height = top + cell * size + 20;
    StringBuilder s = new StringBuilder();
    s.append("<figure><svg xmlns=\"http://www.w3.org/2000/svg\" class=\"confusion\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(height)
        .append("\" role=\"img\" aria-label=\"confusion matrix of ")
        .append(esc(d.task))
        .append("\">\n")
        .append(text(left + cell * size / 2, 16, "new label", "middle"))
        .append(text(10, top - 8, "old label", "start"));
    for (int j = 0; j < axis.size(); j++) {
      s.append(text(left + j * cell + cell / 2, top - 10, axis.get(j), "middle"));
    }
    for (int i = 0; i < axis.size(); i++) {
      s.append(text(left - 8, top + i * cell + cell / 2 + 4, axis.get(i), "end"));
      Map<String, Long> row = d.confusion.getOrDefault(axis.get(i), Map.of());
      for (int j = 0; j < axis.size(); j++) {
        long n = row.getOrDefault(axis.get(j), 0L);
        double shade = (double) n / max;
        int blue = (int) Math.round(255 - 200 * shade);
        s.append("<rect x=\"")
            .append(left + j * cell)
            .append("\" y=\"")
            .append(top + i * cell)
            .append("\" width=\"")
            .append(cell - 2)
            .append("\" height=\"")
            .append(cell - 2)
            .append("\" fill=\"rgb(")
            .append(blue)
            .append(',')
            .append(blue)
            .append(",255)\"><title>")
            .append(esc(axis.get(i)))
            .append(" &rarr; ")
            .append(esc(axis.get(j)))
            .append(": ")
            .append(n)
            .append("</title></rect>")
            .append(
                text(left + j * cell + cell / 2, top + i * cell + cell / 2 + 4, "" + n, "middle"))
            .append('\n');
      }
    }
    return s.append("</svg><figcaption>Old label &rarr; new label (items)</figcaption></figure>\n")
        .toString();
  }

  /** The confidence histograms before (grey) and after (blue), side by side per bin. */
  static String histogram(BackfillDiff.TaskDiff d) {
    long max = 1;
    for (int i = 0; i < BackfillDiff.BINS; i++) {
      max = Math.max(max, Math.max(d.confidenceBefore[i], d.confidenceAfter[i]));
    }
    int barWidth = 14;
    int group = barWidth * 2 + 8;
    int left = 40;
    int plot = 160;
    int top = 20;
    int width = left + group * BackfillDiff.BINS + 20;
    int height = top + plot + 40;
    StringBuilder s = new StringBuilder();
    s.append("<figure><svg xmlns=\"http://www.w3.org/2000/svg\" class=\"histogram\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(height)
        .append("\" role=\"img\" aria-label=\"confidence before and after, ")
        .append(esc(d.task))
        .append("\">\n")
        .append("<line x1=\"")
        .append(left)
        .append("\" y1=\"")
        .append(top + plot)
        .append("\" x2=\"")
        .append(width - 10)
        .append("\" y2=\"")
        .append(top + plot)
        .append("\" stroke=\"#444\"/>\n")
        .append(text(left - 6, top + 8, "" + max, "end"))
        .append(text(left - 6, top + plot, "0", "end"));
    for (int i = 0; i < BackfillDiff.BINS; i++) {
      int x = left + i * group;
      s.append(bar(x, top, plot, d.confidenceBefore[i], max, barWidth, "#999", "before"));
      s.append(
          bar(x + barWidth, top, plot, d.confidenceAfter[i], max, barWidth, "#2a6fdb", "after"));
      if (i % 2 == 0) {
        s.append(text(x, top + plot + 16, String.format(Locale.ROOT, "%.1f", i / 10.0), "start"));
      }
    }
    s.append(text(width - 12, top + plot + 32, "confidence", "end"));
    return s.append(
            "</svg><figcaption>Calibrated confidence: before (grey), after (blue)</figcaption>"
                + "</figure>\n")
        .toString();
  }

  private static String bar(
      int x, int top, int plot, long n, long max, int width, String colour, String what) {
    int h = (int) Math.round((double) plot * n / max);
    return "<rect x=\""
        + x
        + "\" y=\""
        + (top + plot - h)
        + "\" width=\""
        + (width - 1)
        + "\" height=\""
        + h
        + "\" fill=\""
        + colour
        + "\"><title>"
        + what
        + ": "
        + n
        + "</title></rect>\n";
  }

  private static String text(int x, int y, String s, String anchor) {
    return "<text x=\""
        + x
        + "\" y=\""
        + y
        + "\" font-size=\"12\" text-anchor=\""
        + anchor
        + "\">"
        + esc(s)
        + "</text>\n";
  }

  private static String td(Object value) {
    return "<td>" + esc(String.valueOf(value)) + "</td>";
  }

  static String fmt(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
