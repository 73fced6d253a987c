package io.mmflow.jobs.backfill;

import io.mmflow.connectors.sink.iceberg.IcebergTables;
import io.mmflow.core.config.BackfillOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * What a backfill changed, per task: read from the Iceberg results, its rows (those its runs wrote
 * on its branch) against the rows {@code main} held for the same item, part and task before (of
 * several model versions there, the latest made). A finished backfill is read from its branch; a
 * published one from main, against main as it was before the publish.
 */
public final class BackfillDiff {
  /** Bins of the confidence histograms, over [0, 1]. */
  public static final int BINS = 10;

  private BackfillDiff() {}

  /** The changes of one task. */
  public static final class TaskDiff {
    public final String task;

    /** Items (item, part) with a row before and one from the backfill. */
    public long compared;

    /** Items the backfill gave a row that had none before. */
    public long added;

    /** Compared items whose top label changed. */
    public long labelChanged;

    /** Compared items that failed before (error status) and succeed now. */
    public long fixed;

    /** Compared items that succeeded before and fail now. */
    public long broken;

    /** Old top label → new top label → items ({@code -} for none). */
    public final Map<String, Map<String, Long>> confusion = new TreeMap<>();

    /** Confidence histograms of the compared items, before and after. */
    public final long[] confidenceBefore = new long[BINS];

    public final long[] confidenceAfter = new long[BINS];

    public double confidenceSumBefore;
    public double confidenceSumAfter;
    public long confidenceCount;

    /** What the backfill's rows of this task cost (cache hits free), and what the old rows did. */
    public double costAfter;

    public double costBefore;

    TaskDiff(String task) {
      this.task = task;
    }

    public double meanConfidenceBefore() {
      return confidenceCount == 0 ? Double.NaN : confidenceSumBefore / confidenceCount;
    }

    public double meanConfidenceAfter() {
      return confidenceCount == 0 ? Double.NaN : confidenceSumAfter / confidenceCount;
    }
  }

  /** A result row, as much of it as the diff reads. */
  record Row(
      String itemId,
      String partId,
      String task,
      String status,
      String topLabel,
      Double confidence,
      double paidUsd,
      long finishedAt,
      String runId) {}

  /**
   * The diff of backfill {@code b} whose runs are {@code runIds}.
   *
   * @return per task, sorted by task
   */
  public static Map<String, TaskDiff> compute(
      Configuration config, Backfill b, Set<String> runIds) {
    return IcebergTables.withCatalog(
        config,
        catalog -> {
          Table table = catalog.loadTable(IcebergTables.resultsTable(config));
          long after;
          long before;
          if (b.status() == Backfill.Status.PUBLISHED) {
            after = table.currentSnapshot().snapshotId();
            before = mainBefore(b, config);
          } else {
            SnapshotRef ref = table.refs().get(BackfillOptions.branch(b.id()));
            if (ref == null) {
              throw new io.mmflow.core.error.MmflowException(
                  io.mmflow.core.error.ErrorCode.CONFIGURATION_INVALID,
                  "backfill " + b.id() + " has no branch yet: run it first");
            }
            after = ref.snapshotId();
            Snapshot main = table.currentSnapshot();
            before = main == null ? -1 : main.snapshotId();
          }
          List<Row> newRows = new ArrayList<>();
          Set<String> keys = new HashSet<>();
          for (Row r : rows(table, after)) {
            if (r.runId() != null && runIds.contains(r.runId())) {
              newRows.add(r);
              keys.add(key(r));
            }
          }
          Map<String, Row> oldRows = new HashMap<>();
          if (before >= 0) {
            for (Row r : rows(table, before)) {
              if (keys.contains(key(r)) && (r.runId() == null || !runIds.contains(r.runId()))) {
                oldRows.merge(key(r), r, (x, y) -> x.finishedAt() >= y.finishedAt() ? x : y);
              }
            }
          }
          return diff(newRows, oldRows);
        });
  }

  /**
   * The top label of each result row that runs {@code runIds} wrote on {@code branch} of the
   * results table, by item, part and task: what two backfills of the same selection are compared
   * by.
   */
  public static Map<String, String> labels(
      Configuration config, String branch, Set<String> runIds) {
    return IcebergTables.withCatalog(
        config,
        catalog -> {
          Table table = catalog.loadTable(IcebergTables.resultsTable(config));
          SnapshotRef ref = table.refs().get(branch);
          Map<String, String> out = new TreeMap<>();
          if (ref == null) {
            return out;
          }
          for (Row r : rows(table, ref.snapshotId())) {
            if (r.runId() != null && runIds.contains(r.runId())) {
              out.put(
                  r.itemId() + '/' + r.partId() + '/' + r.task(),
                  r.status() + ' ' + (r.topLabel() == null ? "-" : r.topLabel()));
            }
          }
          return out;
        });
  }

  /** Before a publish that recorded no snapshot for the table: none. */
  private static long mainBefore(Backfill b, Configuration config) {
    return b.mainSnapshots().getOrDefault(IcebergTables.resultsTable(config).toString(), -1L);
  }

  static Map<String, TaskDiff> diff(List<Row> newRows, Map<String, Row> oldRows) {
    Map<String, TaskDiff> out = new TreeMap<>();
    for (Row now : newRows) {
      TaskDiff d = out.computeIfAbsent(now.task(), TaskDiff::new);
      d.costAfter += now.paidUsd();
      Row was = oldRows.get(key(now));
      if (was == null) {
        d.added++;
        continue;
      }
      d.compared++;
      d.costBefore += was.paidUsd();
      String from = was.topLabel() == null ? "-" : was.topLabel();
      String to = now.topLabel() == null ? "-" : now.topLabel();
      d.confusion.computeIfAbsent(from, k -> new TreeMap<>()).merge(to, 1L, Long::sum);
      if (!from.equals(to)) {
        d.labelChanged++;
      }
      boolean failedBefore = "error".equals(was.status());
      boolean failedNow = "error".equals(now.status());
      if (failedBefore && !failedNow) {
        d.fixed++;
      } else if (!failedBefore && failedNow) {
        d.broken++;
      }
      if (was.confidence() != null && now.confidence() != null) {
        d.confidenceBefore[bin(was.confidence())]++;
        d.confidenceAfter[bin(now.confidence())]++;
        d.confidenceSumBefore += was.confidence();
        d.confidenceSumAfter += now.confidence();
        d.confidenceCount++;
      }
    }
    return out;
  }

  static int bin(double confidence) {
    return Math.max(0, Math.min(BINS - 1, (int) Math.floor(confidence * BINS)));
  }

  private static String key(Row r) {
    return r.itemId() + '\u0000' + r.partId() + '\u0000' + r.task();
  }

  private static List<Row> rows(Table table, long snapshot) {
    List<Row> out = new ArrayList<>();
    try (CloseableIterable<Record> records =
        IcebergGenerics.read(table)
            .useSnapshot(snapshot)
            .select(
                "item_id",
                "part_id",
                "task",
                "status",
                "labels",
                "confidence",
                "cost_usd",
                "cache_hit",
                "finished_at",
                "run_id")
            .build()) {
      for (Record r : records) {
        out.add(
            new Row(
                (String) r.getField("item_id"),
                (String) r.getField("part_id"),
                (String) r.getField("task"),
                (String) r.getField("status"),
                topLabel(r.getField("labels")),
                (Double) r.getField("confidence"),
                Boolean.TRUE.equals(r.getField("cache_hit")) ? 0 : (Double) r.getField("cost_usd"),
                ((OffsetDateTime) r.getField("finished_at")).toInstant().toEpochMilli(),
                (String) r.getField("run_id")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The label with the highest score, or null without labels. */
  private static String topLabel(Object labels) {
    String best = null;
    double score = Double.NEGATIVE_INFINITY;
    if (labels instanceof List<?> list) {
      for (Object o : list) {
        Record label = (Record) o;
        double s = (Double) label.getField("score");
        if (s > score) {
          score = s;
          best = (String) label.getField("label");
        }
      }
    }
    return best;
  }
}
