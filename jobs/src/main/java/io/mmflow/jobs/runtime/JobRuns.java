package io.mmflow.jobs.runtime;

import io.mmflow.connectors.postgres.PostgresConnection;
import io.mmflow.connectors.postgres.PostgresTable;
import io.mmflow.connectors.sink.iceberg.IcebergAppend;
import io.mmflow.connectors.sink.iceberg.IcebergTables;
import io.mmflow.core.config.IcebergOptions;
import io.mmflow.core.config.MmflowConfig;
import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.core.model.JobRun;
import io.mmflow.core.schema.JobRunSchema;
import io.mmflow.core.util.Hashing;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;

/**
 * A run's row of {@code job_runs}, written by the runner when the job ends, to the serving
 * PostgreSQL and to the Iceberg table of the same name (so Trino, Flink SQL and psql see the same
 * runs).
 */
final class JobRuns {
  private JobRuns() {}

  /** The run of {@code job} that {@code summary} sums up. */
  static JobRun of(
      MmflowJob job,
      Configuration config,
      String runId,
      String jobName,
      Instant started,
      Instant finished,
      String status,
      RunSummary summary) {
    Map<String, String> byCode = new TreeMap<>();
    summary.deadLettersByCode().forEach((code, n) -> byCode.put(code, Long.toString(n)));
    double usd = 0;
    for (var totals : summary.remoteCosts().values()) {
      usd += totals.usd;
    }
    return new JobRun(
        runId,
        job.name(),
        jobName,
        BuildInfo.mmflowVersion(),
        digest(config),
        job.input(config),
        config.get(RuntimeOptions.TARGET) == RuntimeOptions.Target.LOCAL
            ? "local"
            : config.get(RuntimeOptions.REMOTE_ADDRESS),
        started,
        finished,
        status,
        summary.items(),
        summary.itemsDone(),
        summary.results(),
        summary.pages(),
        summary.deadLetters(),
        byCode,
        usd);
  }

  /**
   * SHA-256 of the mmflow settings ({@code key=value} lines, sorted), secrets (passwords, keys,
   * tokens) and the run's own id left out: equal digests, equal settings.
   */
  static String digest(Configuration config) {
    StringBuilder settings = new StringBuilder();
    new TreeMap<>(config.toMap())
        .forEach(
            (k, v) -> {
              if (k.startsWith("mmflow.")
                  && !k.equals(RuntimeOptions.RUN_ID.key())
                  && !MmflowConfig.isSecret(k)) {
                settings.append(k).append('=').append(v).append('\n');
              }
            });
    return Hashing.sha256Hex(settings.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Writes {@code run} to the serving PostgreSQL (when there is one) and to Iceberg (when on). */
  static void record(Configuration config, PostgresConnection postgres, JobRun run)
      throws SQLException {
    if (postgres != null) {
      try (Connection c = postgres.open();
          PreparedStatement s = c.prepareStatement(PostgresTable.JOB_RUNS.upsert())) {
        PostgresTable.JOB_RUNS.bind(s, run);
        s.executeUpdate();
      }
    }
    if (config.get(IcebergOptions.ENABLED)) {
      IcebergTables.withCatalog(
          config,
          catalog -> {
            IcebergAppend.append(
                catalog.loadTable(IcebergTables.jobRunsTable(config)),
                JobRunSchema.TABLE,
                List.of(run));
            return null;
          });
    }
  }
}
