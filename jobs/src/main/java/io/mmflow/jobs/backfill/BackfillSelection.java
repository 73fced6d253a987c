package io.mmflow.jobs.backfill;

import io.mmflow.connectors.source.file.FileMediaSource;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a backfill reprocesses, chosen from the tables earlier runs wrote: the inputs (source URIs)
 * of the results and dead letters that match every criterion given. As Flink SQL over the Iceberg
 * tables' {@code main} ({@link #resultsQuery}, {@link #deadLettersQuery}).
 *
 * @param prefix source URIs starting with this (a folder, a bucket prefix); null for any
 * @param from event time at or after this; null for any
 * @param to event time before this; null for any
 * @param models results of these models, each {@code model_id} or {@code model_id@version}; empty
 *     for any
 * @param failed the inputs whose processing failed with a retryable error (a provider outage, a
 *     timeout): error results and dead letters marked retryable
 * @param failedCodes the inputs that failed with one of these codes ({@code MMF-2004}), retryable
 *     or not; empty for none
 * @param where a SQL predicate over the columns of {@code results}; null for none
 */
public record BackfillSelection(
    String prefix,
    Instant from,
    Instant to,
    List<String> models,
    boolean failed,
    List<String> failedCodes,
    String where) {

  public BackfillSelection {
    prefix = prefix == null ? null : canonicalPrefix(prefix);
    models = models == null ? List.of() : List.copyOf(models);
    failedCodes = failedCodes == null ? List.of() : List.copyOf(failedCodes);
    for (String code : failedCodes) {
      if (!code.matches("MMF-\\d{4}")) {
        throw new MmflowException(
            ErrorCode.CONFIGURATION_INVALID,
            "invalid error code '"
                + code
                + "': codes read MMF-nnnn (bin/mmflow --help lists them)");
      }
    }
    if (from != null && to != null && !from.isBefore(to)) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID, "--from " + from + " is not before --to " + to);
    }
  }

  /**
   * A prefix as the sources write their URIs: an object store URI as it is; a local path or file
   * URI as the file source names files ({@code file:/dir/name}), a folder ending with {@code /}.
   */
  static String canonicalPrefix(String prefix) {
    if (prefix.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") && !prefix.startsWith("file:")) {
      return prefix;
    }
    java.nio.file.Path local =
        prefix.startsWith("file:")
            ? java.nio.file.Path.of(java.net.URI.create(prefix))
            : java.nio.file.Path.of(prefix).toAbsolutePath();
    String uri = FileMediaSource.toPath(local.toString()).toUri().toString();
    boolean folder = prefix.endsWith("/") || java.nio.file.Files.isDirectory(local);
    return folder && !uri.endsWith("/") ? uri + "/" : uri;
  }

  /** Whether nothing narrows the selection: every input ever processed. */
  public boolean everything() {
    return prefix == null
        && from == null
        && to == null
        && models.isEmpty()
        && !failed
        && failedCodes.isEmpty()
        && where == null;
  }

  /** Whether the selection picks failures (its dead letters count too). */
  public boolean failures() {
    return failed || !failedCodes.isEmpty();
  }

  /**
   * Per selected input of {@code results}: {@code source_uri, result_rows, pages, paid_usd,
   * cached_usd} (what its selected rows cost when they were made, calls answered from the cache
   * apart).
   */
  public String resultsQuery() {
    List<String> where = new ArrayList<>();
    where.add("source_uri IS NOT NULL");
    common(where, "event_time");
    if (!models.isEmpty()) {
      List<String> any = new ArrayList<>();
      for (String m : models) {
        int at = m.indexOf('@');
        any.add(
            at < 0
                ? "model_id = " + literal(m)
                : "(model_id = "
                    + literal(m.substring(0, at))
                    + " AND model_version = "
                    + literal(m.substring(at + 1))
                    + ")");
      }
      where.add("(" + String.join(" OR ", any) + ")");
    }
    if (failures()) {
      List<String> failure = new ArrayList<>();
      if (failed) {
        failure.add("error_retryable");
      }
      if (!failedCodes.isEmpty()) {
        failure.add("error_code IN (" + codes() + ")");
      }
      where.add("status = 'error' AND (" + String.join(" OR ", failure) + ")");
    }
    if (this.where != null) {
      where.add("(" + this.where + ")");
    }
    return "SELECT source_uri, count(*) AS result_rows, max(page_count) AS pages,"
        + " sum(CASE WHEN cache_hit THEN 0 ELSE cost_usd END) AS paid_usd,"
        + " sum(CASE WHEN cache_hit THEN cost_usd ELSE 0 END) AS cached_usd"
        + " FROM results WHERE "
        + String.join(" AND ", where)
        + " GROUP BY source_uri";
  }

  /**
   * The inputs of the selected dead letters ({@code source_uri}) that have no successful result
   * made after them, when the selection picks failures; else null. A SQL predicate over results
   * does not apply to dead letters.
   */
  public String deadLettersQuery() {
    if (!failures() || this.where != null || !models.isEmpty()) {
      return null;
    }
    List<String> where = new ArrayList<>();
    where.add("source_uri IS NOT NULL");
    common(where, "occurred_at");
    List<String> failure = new ArrayList<>();
    if (failed) {
      failure.add("retryable");
    }
    if (!failedCodes.isEmpty()) {
      failure.add("error_code IN (" + codes() + ")");
    }
    where.add("(" + String.join(" OR ", failure) + ")");
    // an input that has succeeded since (a backfill that fixed it) is not picked again: the dead
    // letter stays as the history of the failure
    where.add(
        "NOT EXISTS (SELECT 1 FROM results r WHERE r.source_uri = d.source_uri"
            + " AND r.status = 'ok' AND r.finished_at > d.occurred_at)");
    return "SELECT DISTINCT source_uri FROM dead_letters d WHERE " + String.join(" AND ", where);
  }

  private void common(List<String> where, String timeColumn) {
    if (prefix != null) {
      // a file named file:/dir/name by one source is file:///dir/name to another: both match
      List<String> forms = new ArrayList<>(List.of(prefix));
      if (prefix.startsWith("file:/") && !prefix.startsWith("file://")) {
        forms.add("file://" + prefix.substring("file:".length()));
      }
      List<String> any = new ArrayList<>();
      for (String form : forms) {
        any.add(
            "source_uri LIKE "
                + literal(form.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
                + " ESCAPE '\\'");
      }
      where.add("(" + String.join(" OR ", any) + ")");
    }
    if (from != null) {
      where.add(timeColumn + " >= TO_TIMESTAMP_LTZ(" + from.toEpochMilli() + ", 3)");
    }
    if (to != null) {
      where.add(timeColumn + " < TO_TIMESTAMP_LTZ(" + to.toEpochMilli() + ", 3)");
    }
  }

  private String codes() {
    List<String> quoted = new ArrayList<>();
    for (String code : failedCodes) {
      quoted.add(literal(code));
    }
    return String.join(", ", quoted);
  }

  /** A SQL string literal. */
  static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
