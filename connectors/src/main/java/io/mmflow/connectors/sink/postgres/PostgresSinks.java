package io.mmflow.connectors.sink.postgres;

import io.mmflow.connectors.postgres.PostgresConnection;
import io.mmflow.connectors.postgres.PostgresTable;
import io.mmflow.core.config.PostgresOptions;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.FusedResult;
import io.mmflow.core.model.ModalityResult;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
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
        .withQueryStatement(UPSERT_RESULT, PostgresSinks::bindResult)
        .withExecutionOptions(executionOptions(config))
        .buildAtLeastOnce(connection.toJdbcOptions());
  }

  public static JdbcSink<DeadLetter> deadLetters(
      PostgresConnection connection, Configuration config) {
    return JdbcSink.<DeadLetter>builder()
        .withQueryStatement(UPSERT_DEAD_LETTER, PostgresSinks::bindDeadLetter)
        .withExecutionOptions(executionOptions(config))
        .buildAtLeastOnce(connection.toJdbcOptions());
  }

  /** Fused results, upserted on (correlation_id, window_start). */
  public static JdbcSink<FusedResult> fused(PostgresConnection connection, Configuration config) {
    return JdbcSink.<FusedResult>builder()
        .withQueryStatement(UPSERT_FUSED, PostgresSinks::bindFused)
        .withExecutionOptions(executionOptions(config))
        .buildAtLeastOnce(connection.toJdbcOptions());
  }

  /** Results too late for their fusion window, upserted into late_results on the results key. */
  public static JdbcSink<ModalityResult> late(PostgresConnection connection, Configuration config) {
    return JdbcSink.<ModalityResult>builder()
        .withQueryStatement(UPSERT_LATE, PostgresSinks::bindResult)
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

  static void bindResult(PreparedStatement ps, ModalityResult r) throws SQLException {
    PostgresTable.RESULTS.bind(ps, r);
  }

  static void bindDeadLetter(PreparedStatement ps, DeadLetter d) throws SQLException {
    PostgresTable.DEAD_LETTERS.bind(ps, d);
  }

  static void bindFused(PreparedStatement ps, FusedResult f) throws SQLException {
    PostgresTable.FUSED_RESULTS.bind(ps, f);
  }
}
