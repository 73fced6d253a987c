package io.mmflow.jobs.backfill;

import io.mmflow.connectors.postgres.PostgresConnection;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.jobs.documents.DocumentsJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * Plans a backfill: runs its selection over the tables' {@code main} (Flink SQL on the Iceberg
 * tables) and estimates what reprocessing it costs, from what the selected rows cost when they were
 * made and from the rate of the documents runs recorded in {@code job_runs}.
 */
final class BackfillPlanner {
  private BackfillPlanner() {}

  /**
   * A planned selection.
   *
   * @param sources the inputs to re-read, sorted
   * @param resultRows the result rows selected
   * @param pages the pages of those inputs (their largest page count)
   * @param paidUsd what the selected rows' remote calls cost, cache hits apart
   * @param cachedUsd what their calls answered from the cache would have cost
   * @param itemsPerSecond the documents runs' rate so far; 0 when none finished
   */
  record Plan(
      List<String> sources,
      long resultRows,
      long pages,
      double paidUsd,
      double cachedUsd,
      double itemsPerSecond) {

    /** Seconds to reprocess the sources at the recorded rate; null without one. */
    Double estimatedSeconds() {
      return itemsPerSecond <= 0 ? null : sources.size() / itemsPerSecond;
    }
  }

  static Plan plan(TableEnvironment sql, PostgresConnection postgres, BackfillSelection selection) {
    TreeSet<String> sources = new TreeSet<>();
    long rows = 0;
    long pages = 0;
    double paid = 0;
    double cached = 0;
    try (CloseableIterator<Row> it = run(sql, selection.resultsQuery())) {
      while (it.hasNext()) {
        Row r = it.next();
        sources.add((String) r.getField(0));
        rows += number(r.getField(1));
        pages += number(r.getField(2));
        paid += decimal(r.getField(3));
        cached += decimal(r.getField(4));
      }
    } catch (Exception e) {
      throw failed(selection, e);
    }
    String deadLetters = selection.deadLettersQuery();
    if (deadLetters != null) {
      try (CloseableIterator<Row> it = run(sql, deadLetters)) {
        while (it.hasNext()) {
          sources.add((String) it.next().getField(0));
        }
      } catch (Exception e) {
        throw failed(selection, e);
      }
    }
    return new Plan(new ArrayList<>(sources), rows, pages, paid, cached, rate(postgres));
  }

  private static CloseableIterator<Row> run(TableEnvironment sql, String query) {
    return sql.executeSql(query).collect();
  }

  /** Items a second over the finished documents runs recorded; 0 when there are none. */
  static double rate(PostgresConnection postgres) {
    try (Connection c = postgres.open();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT sum(items_read), sum(extract(epoch FROM finished_at - started_at))"
                    + " FROM job_runs WHERE job IN (?, ?) AND status = 'finished'"
                    + " AND items_read > 0")) {
      ps.setString(1, DocumentsJob.NAME);
      ps.setString(2, BackfillJob.NAME);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        double items = rs.getDouble(1);
        double seconds = rs.getDouble(2);
        return seconds <= 0 ? 0 : items / seconds;
      }
    } catch (SQLException e) {
      return 0; // no runs table yet: no estimate
    }
  }

  private static long number(Object value) {
    return value == null ? 0 : ((Number) value).longValue();
  }

  private static double decimal(Object value) {
    return value == null ? 0 : ((Number) value).doubleValue();
  }

  private static MmflowException failed(BackfillSelection selection, Exception e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return new MmflowException(
        ErrorCode.CONFIGURATION_INVALID,
        "cannot select the backfill's inputs"
            + (selection.where() == null ? "" : " (check --where: " + selection.where() + ")")
            + ": "
            + root.getMessage(),
        e);
  }
}
