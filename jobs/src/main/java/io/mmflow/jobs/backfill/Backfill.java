package io.mmflow.jobs.backfill;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One backfill, as the serving PostgreSQL keeps it ({@code backfills}): what it selected, its plan,
 * the settings it runs with and where it stands.
 *
 * @param id its id: the Iceberg branch {@code backfill-<id>} and the staging tables derive from it
 * @param settings the mmflow settings given when it was planned (a new model, a configuration
 *     fixed): every run of it uses them
 * @param items the inputs it re-reads
 * @param pages the pages those inputs had
 * @param plannedResults the result rows selected (the rows it may replace)
 * @param estimatedUsd what the selected rows' remote calls cost when they were made (calls answered
 *     from the cache apart): about what it pays if the same calls are made again
 * @param estimatedSeconds from the rate of the documents runs so far; null when none finished
 * @param mainSnapshots once published: per table, the snapshot its {@code main} pointed at before
 *     (what a rollback returns to); empty before
 */
public record Backfill(
    String id,
    Instant createdAt,
    Status status,
    BackfillSelection selection,
    Map<String, String> settings,
    long items,
    long pages,
    long plannedResults,
    double estimatedUsd,
    Double estimatedSeconds,
    Map<String, Long> mainSnapshots) {

  public Backfill {
    settings = new TreeMap<>(settings);
    mainSnapshots = new TreeMap<>(mainSnapshots);
  }

  /** Where a backfill stands. */
  public enum Status {
    /** Selected and estimated; nothing written. */
    PLANNED,
    /** A run started and has not finished (running, or killed: run it again to resume). */
    RUNNING,
    /** Every selected input reprocessed into its branch; ready for diff, publish or discard. */
    FINISHED,
    /**
     * Its rows are in the serving tables, and main's snapshots before are recorded; the Iceberg
     * tables' main may not be forwarded yet (a publish stopped half-way: publish it again).
     */
    PUBLISHING,
    /** Its branch is main now, its rows in the serving tables. */
    PUBLISHED,
    /** Its branch and staging rows dropped. */
    DISCARDED;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Status of(String wireName) {
      return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
  }

  /** This backfill in another state. */
  public Backfill withStatus(Status next) {
    return new Backfill(
        id,
        createdAt,
        next,
        selection,
        settings,
        items,
        pages,
        plannedResults,
        estimatedUsd,
        estimatedSeconds,
        mainSnapshots);
  }
}
