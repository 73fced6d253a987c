package io.mmflow.jobs.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The latencies of a range of feed items in {@code bench stream}, read back from the serving
 * PostgreSQL: for each result row of items {@code item-<first>} up to {@code item-<last - 1>}, its
 * {@code updated_at} (set with {@code clock_timestamp()} when the row is written) minus the Kafka
 * append time carried in the result as {@code source.kafka.timestamp} (rows without it, OCR pages,
 * count from their event time, which the producer stamps at send time).
 */
public final class StreamLatencies {
  /**
   * The figures of one range of items.
   *
   * @param items items in the range
   * @param written items whose text result arrived
   * @param byModality p50, p95, p99 and count of each modality's rows, and of {@code all}
   * @param perSecond the p99 of the rows appended in each second of the range, space-separated
   * @param sustainedRps written items over the time from the first append to the last row
   */
  public record Window(
      long items,
      long written,
      Map<String, double[]> byModality,
      String perSecond,
      double sustainedRps) {
    /** p50, p95, p99 of text parts (or of all modalities when there is no text). */
    double[] text() {
      return byModality.getOrDefault(
          "text",
          byModality.getOrDefault("all", new double[] {Double.NaN, Double.NaN, Double.NaN, 0}));
    }

    /** Whether every item arrived. */
    boolean complete() {
      return written >= items;
    }
  }

  private StreamLatencies() {}

  /**
   * The latencies of all rows of the items in {@code [first, last)}, of which {@code written} have
   * their text result ({@link #awaitWritten}, called first so that the caller can stop its CPU
   * account before this query).
   */
  static Window measure(String url, long first, long last, long written) throws Exception {
    long items = last - first;
    Map<String, List<Double>> latencies = new TreeMap<>();
    double firstAppend = Double.MAX_VALUE;
    double lastRow = 0;
    List<double[]> timeline = new ArrayList<>(); // (append, latency) of every row
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT modality, extract(epoch FROM updated_at) * 1000,"
                    + " coalesce((attributes->>'source.kafka.timestamp')::bigint,"
                    + " (extract(epoch FROM event_time) * 1000)::bigint) FROM results WHERE"
                    + range(first, last))) {
      while (rs.next()) {
        double row = rs.getDouble(2);
        double append = rs.getLong(3);
        latencies.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(row - append);
        latencies.computeIfAbsent("all", k -> new ArrayList<>()).add(row - append);
        timeline.add(new double[] {append, row - append});
        firstAppend = Math.min(firstAppend, append);
        lastRow = Math.max(lastRow, row);
      }
    }
    Map<String, double[]> byModality = new TreeMap<>();
    latencies.forEach(
        (m, l) -> {
          Collections.sort(l);
          byModality.put(m, new double[] {pct(l, 50), pct(l, 95), pct(l, 99), l.size()});
        });
    double sustained = lastRow > firstAppend ? written / ((lastRow - firstAppend) / 1000.0) : 0;
    return new Window(items, written, byModality, bySecond(timeline, firstAppend), sustained);
  }

  /**
   * Polls until every item in {@code [first, last)} has its text result (sentiment) or {@code wait}
   * has passed; returns how many have.
   */
  static long awaitWritten(String url, long first, long last, Duration wait) throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    long written = 0;
    while (true) {
      written =
          count(
              url,
              "SELECT count(DISTINCT item_id) FROM results WHERE task = 'sentiment' AND"
                  + range(first, last));
      if (written >= last - first || System.nanoTime() - deadline >= 0) {
        return written;
      }
      Thread.sleep(250);
    }
  }

  /**
   * An index on the items' numbers, so that the polls of {@link #awaitWritten} read the range, not
   * the whole table (whose PostgreSQL CPU would count in a step's CPU per item, more with each
   * step).
   */
  static void index(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE INDEX IF NOT EXISTS bench_results_item_number ON results"
              + " ((split_part(item_id, '-', 2)::bigint), task)");
    }
  }

  private static String range(long first, long last) {
    return " split_part(item_id, '-', 2)::bigint >= "
        + first
        + " AND split_part(item_id, '-', 2)::bigint < "
        + last;
  }

  /** The p99 latency of the rows appended in each second after {@code first}, space-separated. */
  static String bySecond(List<double[]> rows, double first) {
    Map<Integer, List<Double>> seconds = new TreeMap<>();
    for (double[] r : rows) {
      seconds.computeIfAbsent((int) ((r[0] - first) / 1000), k -> new ArrayList<>()).add(r[1]);
    }
    StringBuilder out = new StringBuilder();
    seconds.forEach(
        (second, l) -> {
          Collections.sort(l);
          out.append(out.isEmpty() ? "" : " ").append(Math.round(pct(l, 99)));
        });
    return out.toString();
  }

  private static long count(String url, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static double pct(List<Double> sorted, int p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }
}
