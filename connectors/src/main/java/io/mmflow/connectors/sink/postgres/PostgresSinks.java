package io.mmflow.connectors.sink.postgres;

import io.mmflow.connectors.postgres.PostgresConnection;
import io.mmflow.core.config.PostgresOptions;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.Entity;
import io.mmflow.core.model.FusedResult;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.OverallSentiment;
import io.mmflow.core.serde.Json;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;

/**
 * Sinks into the serving PostgreSQL (schema in {@code sql/postgres/schema.sql}). Each row is an
 * upsert on its key, so at-least-once delivery (replays after a restart, re-runs over the same
 * input) still leaves exactly one row per key.
 */
public final class PostgresSinks {
  /**
   * The results upsert into {@code table} (results, or late_results, which has the same columns and
   * key). {@code updated_at} is {@code clock_timestamp()}, the time of the write, not of the
   * transaction's start, so it measures when each row landed.
   */
  static String upsertResult(String table) {
    return """
      INSERT INTO %s (item_id, part_id, task, model_version, correlation_id, modality, status,
          text, language, page_count, confidence, calibration, labels, entities, embedding,
          provider, model_id, source_uri, content_sha256, cache_hit, event_time, started_at,
          finished_at, latency_ms, input_tokens, output_tokens, cost_usd, error_code,
          error_message, error_retryable, attributes, schema_version, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
          ?, ?, ?, ?, ?, ?, ?::jsonb, ?, clock_timestamp())
      ON CONFLICT (item_id, part_id, task, model_version) DO UPDATE SET
          correlation_id = EXCLUDED.correlation_id, modality = EXCLUDED.modality,
          status = EXCLUDED.status, text = EXCLUDED.text, language = EXCLUDED.language,
          page_count = EXCLUDED.page_count, confidence = EXCLUDED.confidence,
          calibration = EXCLUDED.calibration, labels = EXCLUDED.labels,
          entities = EXCLUDED.entities, embedding = EXCLUDED.embedding,
          provider = EXCLUDED.provider, model_id = EXCLUDED.model_id,
          source_uri = EXCLUDED.source_uri, content_sha256 = EXCLUDED.content_sha256,
          cache_hit = EXCLUDED.cache_hit, event_time = EXCLUDED.event_time,
          started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at,
          latency_ms = EXCLUDED.latency_ms, input_tokens = EXCLUDED.input_tokens,
          output_tokens = EXCLUDED.output_tokens, cost_usd = EXCLUDED.cost_usd,
          error_code = EXCLUDED.error_code, error_message = EXCLUDED.error_message,
          error_retryable = EXCLUDED.error_retryable, attributes = EXCLUDED.attributes,
          schema_version = EXCLUDED.schema_version, updated_at = clock_timestamp()
      """
        .formatted(table);
  }

  static final String UPSERT_RESULT = upsertResult("results");

  static final String UPSERT_LATE = upsertResult("late_results");

  static final String UPSERT_FUSED =
      """
      INSERT INTO fused_results (correlation_id, window_start, window_end, modalities_present,
          modalities_missing, sentiment_label, sentiment_score, sentiment_confidence,
          sentiment_contributing_modalities, consistency, strategy, status, result_count, fused_at,
          schema_version, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, clock_timestamp())
      ON CONFLICT (correlation_id, window_start) DO UPDATE SET
          window_end = EXCLUDED.window_end, modalities_present = EXCLUDED.modalities_present,
          modalities_missing = EXCLUDED.modalities_missing,
          sentiment_label = EXCLUDED.sentiment_label, sentiment_score = EXCLUDED.sentiment_score,
          sentiment_confidence = EXCLUDED.sentiment_confidence,
          sentiment_contributing_modalities = EXCLUDED.sentiment_contributing_modalities,
          consistency = EXCLUDED.consistency, strategy = EXCLUDED.strategy,
          status = EXCLUDED.status, result_count = EXCLUDED.result_count,
          fused_at = EXCLUDED.fused_at, schema_version = EXCLUDED.schema_version,
          updated_at = clock_timestamp()
      """;

  static final String UPSERT_DEAD_LETTER =
      """
      INSERT INTO dead_letters (item_id, part_id, stage, correlation_id, source_uri, error_code,
          error_name, category, message, retryable, media_type, size_bytes, content_sha256,
          occurred_at, payload)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (item_id, part_id, stage) DO UPDATE SET
          correlation_id = EXCLUDED.correlation_id, source_uri = EXCLUDED.source_uri,
          error_code = EXCLUDED.error_code, error_name = EXCLUDED.error_name,
          category = EXCLUDED.category, message = EXCLUDED.message,
          retryable = EXCLUDED.retryable, media_type = EXCLUDED.media_type,
          size_bytes = EXCLUDED.size_bytes, content_sha256 = EXCLUDED.content_sha256,
          occurred_at = EXCLUDED.occurred_at, payload = EXCLUDED.payload
      """;

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
    int i = 1;
    ps.setString(i++, r.itemId());
    ps.setString(i++, r.partId());
    ps.setString(i++, r.task().wireName());
    ps.setString(i++, r.provenance().modelVersion());
    ps.setString(i++, r.correlationId());
    ps.setString(i++, r.modality().wireName());
    ps.setString(i++, r.status().wireName());
    ps.setString(i++, stripNul(r.text()));
    ps.setString(i++, r.language());
    setInteger(ps, i++, r.pageCount());
    setDouble(ps, i++, r.confidence());
    ps.setString(i++, r.calibration());
    ps.setString(i++, Json.write(r.labels()));
    ps.setString(i++, stripNul(Json.write(entitiesJson(r.entities()))));
    if (r.embedding() == null) {
      ps.setNull(i++, Types.ARRAY);
    } else {
      Float[] boxed = new Float[r.embedding().length];
      for (int k = 0; k < boxed.length; k++) {
        boxed[k] = r.embedding()[k];
      }
      Array array = ps.getConnection().createArrayOf("real", boxed);
      ps.setArray(i++, array);
    }
    ps.setString(i++, r.provenance().provider());
    ps.setString(i++, r.provenance().modelId());
    ps.setString(i++, r.provenance().sourceUri());
    ps.setString(i++, r.provenance().contentSha256());
    ps.setBoolean(i++, r.provenance().cacheHit());
    ps.setTimestamp(i++, ts(r.timing().eventTime()));
    ps.setTimestamp(i++, ts(r.timing().startedAt()));
    ps.setTimestamp(i++, ts(r.timing().finishedAt()));
    ps.setLong(i++, r.timing().latencyMs());
    ps.setLong(i++, r.cost().inputTokens());
    ps.setLong(i++, r.cost().outputTokens());
    ps.setDouble(i++, r.cost().usd());
    ps.setString(i++, r.error() == null ? null : r.error().code().code());
    ps.setString(i++, r.error() == null ? null : r.error().message());
    if (r.error() == null) {
      ps.setNull(i++, Types.BOOLEAN);
    } else {
      ps.setBoolean(i++, r.error().retryable());
    }
    ps.setString(i++, Json.write(r.attributes()));
    ps.setInt(i, r.schemaVersion());
  }

  static void bindDeadLetter(PreparedStatement ps, DeadLetter d) throws SQLException {
    int i = 1;
    ps.setString(i++, d.itemId());
    ps.setString(i++, d.partId());
    ps.setString(i++, d.stage());
    ps.setString(i++, d.correlationId());
    ps.setString(i++, d.sourceUri());
    ps.setString(i++, d.code().code());
    ps.setString(i++, d.code().name());
    ps.setString(i++, d.code().category().name());
    ps.setString(i++, stripNul(d.message()));
    ps.setBoolean(i++, d.retryable());
    ps.setString(i++, d.mediaType());
    ps.setLong(i++, d.sizeBytes());
    ps.setString(i++, d.contentSha256());
    ps.setTimestamp(i++, ts(d.occurredAt()));
    ps.setBytes(i, d.payload());
  }

  static void bindFused(PreparedStatement ps, FusedResult f) throws SQLException {
    OverallSentiment s = f.sentiment();
    int i = 1;
    ps.setString(i++, f.correlationId());
    ps.setTimestamp(i++, ts(f.windowStart()));
    ps.setTimestamp(i++, ts(f.windowEnd()));
    ps.setArray(i++, modalities(ps, f.modalitiesPresent()));
    ps.setArray(i++, modalities(ps, f.modalitiesMissing()));
    if (s == null) {
      ps.setNull(i++, Types.VARCHAR);
      ps.setNull(i++, Types.DOUBLE);
      ps.setNull(i++, Types.DOUBLE);
      ps.setNull(i++, Types.ARRAY);
    } else {
      ps.setString(i++, s.label());
      ps.setDouble(i++, s.score());
      ps.setDouble(i++, s.confidence());
      ps.setArray(i++, modalities(ps, s.contributingModalities()));
    }
    setDouble(ps, i++, f.consistency());
    ps.setString(i++, f.strategy().name().toLowerCase(Locale.ROOT));
    ps.setString(i++, f.status().name().toLowerCase(Locale.ROOT));
    ps.setInt(i++, f.resultCount());
    ps.setTimestamp(i++, ts(f.fusedAt()));
    ps.setInt(i, f.schemaVersion());
  }

  private static Array modalities(PreparedStatement ps, List<Modality> modalities)
      throws SQLException {
    return ps.getConnection()
        .createArrayOf("text", modalities.stream().map(Modality::wireName).toArray(String[]::new));
  }

  /**
   * Entities as jsonb objects with the same flat snake_case fields as the Iceberg table's entity
   * struct (text, type, char_start, char_end, box_x, box_y, box_width, box_height, time_start_ms,
   * time_end_ms, confidence), so a query reads the same in both stores. Nulls are left out.
   */
  static List<Map<String, Object>> entitiesJson(List<Entity> entities) {
    List<Map<String, Object>> out = new ArrayList<>(entities.size());
    for (Entity e : entities) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("text", e.text());
      m.put("type", e.type());
      putIfNotNull(m, "char_start", e.charStart());
      putIfNotNull(m, "char_end", e.charEnd());
      if (e.box() != null) {
        m.put("box_x", e.box().x());
        m.put("box_y", e.box().y());
        m.put("box_width", e.box().width());
        m.put("box_height", e.box().height());
      }
      if (e.audioSpan() != null) {
        m.put("time_start_ms", e.audioSpan().startMs());
        m.put("time_end_ms", e.audioSpan().endMs());
      }
      putIfNotNull(m, "confidence", e.confidence());
      out.add(m);
    }
    return out;
  }

  private static void putIfNotNull(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }

  /** PostgreSQL text cannot hold U+0000, which some extracted documents contain. */
  static String stripNul(String s) {
    return s == null || s.indexOf('\u0000') < 0 ? s : s.replace("\u0000", "");
  }

  private static Timestamp ts(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }

  private static void setInteger(PreparedStatement ps, int i, Integer v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.INTEGER);
    } else {
      ps.setInt(i, v);
    }
  }

  private static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.DOUBLE);
    } else {
      ps.setDouble(i, v);
    }
  }
}
