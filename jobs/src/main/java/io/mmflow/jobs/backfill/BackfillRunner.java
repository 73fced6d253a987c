package io.mmflow.jobs.backfill;

import io.mmflow.connectors.postgres.PostgresConnection;
import io.mmflow.core.config.BackfillOptions;
import io.mmflow.core.config.RemoteOptions;
import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.jobs.runtime.JobEnvironment;
import io.mmflow.jobs.runtime.JobRunner;
import io.mmflow.jobs.runtime.RunSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;

/**
 * Runs a planned backfill to its end: with the settings it was planned with, into its branch, each
 * run recorded as it starts; a backfill whose last run was killed or cancelled resumes from that
 * run's last checkpoint (the sources' progress and the Iceberg commits pending in it), so nothing
 * is read twice into the branch, and remote answers already paid for come from the answer cache. A
 * finished backfill is not run again.
 */
public final class BackfillRunner {
  private final PrintStream out;
  private final Duration progressInterval;

  public BackfillRunner(PrintStream out, Duration progressInterval) {
    this.out = out;
    this.progressInterval = progressInterval;
  }

  /**
   * Runs backfill {@code id}; answers its summary, or empty when there was nothing to run.
   *
   * @param given the run's configuration, with the serving database's URL (the store's)
   */
  public Optional<RunSummary> run(String id, Configuration given, PostgresConnection postgres)
      throws Exception {
    BackfillStore store = new BackfillStore(postgres);
    Backfill b = store.get(id);
    switch (b.status()) {
      case FINISHED -> {
        out.printf(
            "mmflow: backfill %s has finished: nothing to run (bin/mmflow backfill diff, publish"
                + " or discard %s)%n",
            id, id);
        return Optional.empty();
      }
      case PUBLISHED, DISCARDED ->
          throw new MmflowException(
              ErrorCode.CONFIGURATION_INVALID,
              "backfill " + id + " was " + b.status().wireName() + ": plan a new one");
      default -> {
        // planned, or running (killed or cancelled): run, resuming from a checkpoint if any
      }
    }
    // the settings it was planned with win: every run of a backfill, a resumed one above all,
    // reprocesses with the same models and configuration (plan another backfill to change them)
    Configuration config = new Configuration(given);
    b.settings().forEach(config::setString);
    double budget = config.get(BackfillOptions.BUDGET_USD);
    if (b.estimatedUsd() > budget) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          String.format(
              "backfill %s is planned to cost $%.4f, over the budget of $%.4f (%s): raise it with"
                  + " --budget",
              id, b.estimatedUsd(), budget, BackfillOptions.BUDGET_USD.key()));
    }
    config.set(BackfillOptions.ID, id);
    // answers paid for are kept in the serving PostgreSQL: a resumed run, or another backfill of
    // the same inputs and model, takes them from there instead of calling again
    config.set(RemoteOptions.CACHE_POSTGRES, true);
    // a cancelled run keeps its checkpoints, for the next run to resume from
    config.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    Path checkpoints = checkpointRoot(config);
    Optional<Path> resumeFrom = Optional.empty();
    List<BackfillStore.Run> runs = store.runs(id);
    for (int i = runs.size() - 1; i >= 0 && resumeFrom.isEmpty(); i--) {
      resumeFrom = latestCheckpoint(Path.of(runs.get(i).checkpoints()));
    }
    resumeFrom.ifPresent(
        chk -> {
          config.set(StateRecoveryOptions.SAVEPOINT_PATH, chk.toUri().toString());
          out.printf("mmflow: backfill %s resumes from %s%n", id, chk);
        });
    config.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, false);

    Configuration run = JobEnvironment.withRunId(config);
    String runId = run.get(RuntimeOptions.RUN_ID);
    store.runStarted(id, runId, checkpoints.resolve(runId).toString());
    store.setStatus(id, Backfill.Status.RUNNING);
    RunSummary summary;
    try {
      summary = new JobRunner(out, progressInterval).run(new BackfillJob(), run);
    } catch (Exception e) {
      store.runEnded(id, runId, "failed");
      throw e;
    }
    String status = runStatus(postgres, runId);
    store.runEnded(id, runId, status);
    if ("finished".equals(status)) {
      store.setStatus(id, Backfill.Status.FINISHED);
      out.printf(
          "mmflow: backfill %s finished into branch %s: bin/mmflow backfill diff %s, then publish"
              + " or discard%n",
          id, BackfillOptions.branch(id), id);
    } else {
      out.printf(
          "mmflow: backfill %s stopped (%s): bin/mmflow backfill run %s resumes it%n",
          id, status, id);
    }
    return Optional.of(summary);
  }

  /**
   * Where a local run's checkpoints go: the configured folder, or {@code <data-dir>/checkpoints}.
   */
  static Path checkpointRoot(Configuration config) {
    return config
        .getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY)
        .map(dir -> dir.startsWith("file:") ? Path.of(java.net.URI.create(dir)) : Path.of(dir))
        .orElse(Path.of(config.get(RuntimeOptions.DATA_DIR), "checkpoints"))
        .toAbsolutePath();
  }

  /**
   * The newest complete checkpoint ({@code chk-N} with its {@code _metadata}) under {@code dir}.
   */
  static Optional<Path> latestCheckpoint(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> children = Files.list(dir)) {
      return children
          .filter(p -> p.getFileName().toString().matches("chk-\\d+"))
          .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
          .max(
              Comparator.comparingLong(
                  p -> Long.parseLong(p.getFileName().toString().substring(4))));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** How run {@code runId} ended, as job_runs recorded it; "stopped" when it has no row. */
  private static String runStatus(PostgresConnection postgres, String runId) throws SQLException {
    try (Connection c = postgres.open();
        PreparedStatement ps = c.prepareStatement("SELECT status FROM job_runs WHERE run_id = ?")) {
      ps.setString(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : "stopped";
      }
    }
  }
}
