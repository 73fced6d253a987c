package io.mmflow.connectors.sink.postgres;

import io.mmflow.connectors.postgres.PostgresConnection;
import io.mmflow.connectors.postgres.PostgresTable;
import io.mmflow.core.config.BackfillOptions;
import io.mmflow.core.config.PostgresOptions;
import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.FusedResult;
import io.mmflow.core.model.ModalityResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;

/**
 * Sinks into the serving PostgreSQL (tables and statements derived in {@link PostgresTable}). Each
 * row is an upsert on its key, so at-least-once delivery (replays after a restart, re-runs over the
 * same input) still leaves exactly one row per key.
 */
public final class PostgresSinks {
  static final String UPSERT_RESULT = PostgresTable.RESULTS.upsert();

  static final String UPSERT_LATE = PostgresTable.LATE_RESULTS.upsert();

  static final String UPSERT_FUSED = PostgresTable.FUSED_RESULTS.upsert();

  static final String UPSERT_DEAD_LETTER = PostgresTable.DEAD_LETTERS.upsert();

  private PostgresSinks() {}

  public static JdbcSink<ModalityResult> results(
      PostgresConnection connection, Configuration config) {
    return JdbcSink.<ModalityResult>builder()
        .withQueryStatement(
            target(PostgresTable.RESULTS, config).upsert(), bindResult(runId(config)))
        .withExecutionOptions(executionOptions(config))
        .buildAtLeastOnce(connection.toJdbcOptions());
  }

  public static JdbcSink<DeadLetter> deadLetters(
      PostgresConnection connection, Configuration config) {
    return JdbcSink.<DeadLetter>builder()
        .withQueryStatement(
            target(PostgresTable.DEAD_LETTERS, config).upsert(), bindDeadLetter(runId(config)))
        .withExecutionOptions(executionOptions(config))
        .buildAtLeastOnce(connection.toJdbcOptions());
  }

  /** Fused results, upserted on (correlation_id, window_start). */
  public static JdbcSink<FusedResult> fused(PostgresConnection connection, Configuration config) {
    return JdbcSink.<FusedResult>builder()
        .withQueryStatement(UPSERT_FUSED, bindFused(runId(config)))
        .withExecutionOptions(executionOptions(config))
        .buildAtLeastOnce(connection.toJdbcOptions());
  }

  /** Results too late for their fusion window, upserted into late_results on the results key. */
  public static JdbcSink<ModalityResult> late(PostgresConnection connection, Configuration config) {
    return JdbcSink.<ModalityResult>builder()
        .withQueryStatement(UPSERT_LATE, bindResult(runId(config)))
        .withExecutionOptions(executionOptions(config))
        .buildAtLeastOnce(connection.toJdbcOptions());
  }

  static JdbcExecutionOptions executionOptions(Configuration config) {
    return JdbcExecutionOptions.builder()
        .withBatchSize(config.get(PostgresOptions.BATCH_SIZE))
        .withBatchIntervalMs(config.get(PostgresOptions.BATCH_INTERVAL).toMillis())
        .withMaxRetries(config.get(PostgresOptions.MAX_RETRIES))
        .build();
  }

  /**
   * The table a sink writes: {@code table}, or a backfill's staging copy of it ({@link
   * BackfillOptions#ID}), which {@code backfill publish} upserts into {@code table} in one
   * transaction.
   */
  static <T> PostgresTable<T> target(PostgresTable<T> table, Configuration config) {
    return config
        .getOptional(BackfillOptions.ID)
        .map(id -> table.named(BackfillOptions.stagingTable(id, table.name())))
        .orElse(table);
  }

  /** The run whose rows these sinks write (null outside a run): stamped on each as run_id. */
  static String runId(Configuration config) {
    return config.getOptional(RuntimeOptions.RUN_ID).orElse(null);
  }

  // The binds name the tables' declarations statically, so the sinks' functions capture the run's
  // id alone (a declaration holds accessors, which do not serialize); a staging table has the
  // columns of the table it stages, so the bind is the same.

  /** Binds a result (of results, late_results or a staging copy) with the run's id. */
  static JdbcStatementBuilder<ModalityResult> bindResult(String runId) {
    return (ps, r) -> PostgresTable.RESULTS.bind(ps, r, runId);
  }

  static JdbcStatementBuilder<DeadLetter> bindDeadLetter(String runId) {
    return (ps, d) -> PostgresTable.DEAD_LETTERS.bind(ps, d, runId);
  }

  static JdbcStatementBuilder<FusedResult> bindFused(String runId) {
    return (ps, f) -> PostgresTable.FUSED_RESULTS.bind(ps, f, runId);
  }
}
