package io.mmflow.jobs.backfill;

import io.mmflow.connectors.postgres.PostgresConnection;
import io.mmflow.core.config.BackfillOptions;
import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.jobs.runtime.JobEnvironment;
import io.mmflow.jobs.runtime.JobRunner;
import io.mmflow.jobs.runtime.RunSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

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
    Configuration config = BackfillJob.runConfiguration(b, given);
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
    // a cancelled run keeps its checkpoints, for the next run to resume from
    config.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    Optional<String> resumeFrom = Optional.empty();
    List<BackfillStore.Run> runs = store.runs(id);
    for (int i = runs.size() - 1; i >= 0 && resumeFrom.isEmpty(); i--) {
      resumeFrom = latestCheckpoint(runs.get(i).checkpoints(), out);
    }
    resumeFrom.ifPresent(
        chk -> {
          config.set(StateRecoveryOptions.SAVEPOINT_PATH, chk);
          out.printf("mmflow: backfill %s resumes from %s%n", id, chk);
        });

    Configuration run = JobEnvironment.withRunId(config);
    String runId = run.get(RuntimeOptions.RUN_ID);
    RunSummary summary;
    try {
      summary = new JobRunner(out, progressInterval).run(new BackfillJob(), run);
    } catch (Exception e) {
      store.runEnded(id, runId, "failed");
      throw e;
    }
    if (store.get(id).status() == Backfill.Status.FINISHED) {
      out.printf(
          "mmflow: backfill %s finished into branch %s: bin/mmflow backfill diff %s, then publish"
              + " or discard%n",
          id, BackfillOptions.branch(id), id);
    } else {
      store.runEnded(id, runId, "stopped");
      out.printf("mmflow: backfill %s stopped: bin/mmflow backfill run %s resumes it%n", id, id);
    }
    return Optional.of(summary);
  }

  /**
   * The newest complete checkpoint ({@code chk-N} with its {@code _metadata}) under {@code dir}, on
   * any file system Flink reads here; empty when there is none or the folder cannot be listed (the
   * run then re-reads every input, without duplicates and without paying twice).
   */
  static Optional<String> latestCheckpoint(String dir, PrintStream out) {
    try {
      Path root = new Path(dir);
      FileSystem fs = root.getFileSystem();
      if (!fs.exists(root)) {
        return Optional.empty();
      }
      Path best = null;
      long bestN = -1;
      for (FileStatus child : fs.listStatus(root)) {
        String name = child.getPath().getName();
        if (name.matches("chk-\\d+") && fs.exists(new Path(child.getPath(), "_metadata"))) {
          long n = Long.parseLong(name.substring(4));
          if (n > bestN) {
            bestN = n;
            best = child.getPath();
          }
        }
      }
      return best == null ? Optional.empty() : Optional.of(best.toUri().toString());
    } catch (IOException | RuntimeException e) {
      out.printf(
          "mmflow: cannot list the checkpoints at %s (%s): the run starts over its inputs%n",
          dir, e.getMessage());
      return Optional.empty();
    }
  }
}
