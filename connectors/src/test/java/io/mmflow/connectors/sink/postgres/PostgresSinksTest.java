package io.mmflow.connectors.sink.postgres;

import static io.mmflow.connectors.sink.SinkFixtures.deadLetter;
import static io.mmflow.connectors.sink.SinkFixtures.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.connectors.embedded.EmbeddedPostgresServer;
import io.mmflow.connectors.postgres.PostgresConnection;
import io.mmflow.connectors.postgres.PostgresSchema;
import io.mmflow.connectors.postgres.PostgresTable;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.Entity;
import io.mmflow.core.model.FusedResult;
import io.mmflow.core.model.FusionStatus;
import io.mmflow.core.model.FusionStrategy;
import io.mmflow.core.model.Label;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.OverallSentiment;
import io.mmflow.core.model.Provenance;
import io.mmflow.core.model.Task;
import io.mmflow.core.model.TimeSpan;
import io.mmflow.core.model.Timing;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The upsert statements against a real PostgreSQL: replays leave one row per key. */
class PostgresSinksTest {
  /** The run the rows of these tests are written by. */
  static final String RUN = "5e0f3c1d2a4b5c6d7e8f901a2b3c4d5e";

  static EmbeddedPostgresServer server;
  static PostgresConnection connection;

  @BeforeAll
  static void start() {
    server = EmbeddedPostgresServer.start(null, 0);
    connection = new PostgresConnection(server.jdbcUrl(), "postgres", null);
    PostgresSchema.apply(connection);
    PostgresSchema.apply(connection); // idempotent
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static void upsert(ModalityResult r) throws Exception {
    try (Connection c = connection.open();
        PreparedStatement ps = c.prepareStatement(PostgresSinks.UPSERT_RESULT)) {
      PostgresTable.RESULTS.bind(ps, r, RUN);
      ps.executeUpdate();
    }
  }

  @Test
  void resultUpsertReplacesOnItsKeyAndKeepsEveryField() throws Exception {
    upsert(result("first", "5.3"));
    upsert(result("second \u0000 with NUL", "5.3")); // a replay with new content
    upsert(result("other version", "5.4")); // a new model version adds a row

    try (Connection c = connection.open();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT model_version, text, labels->0->>'label' AS label,"
                    + " (labels->0->>'score')::float AS score, entities->0->>'box_width' AS w,"
                    + " entities->0->>'char_end' AS ce, embedding, latency_ms, cost_usd,"
                    + " attributes->>'k' AS k, event_time FROM results ORDER BY model_version")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString("model_version")).isEqualTo("5.3");
      assertThat(rs.getString("text")).isEqualTo("second  with NUL");
      assertThat(rs.getString("label")).isEqualTo("invoice");
      assertThat(rs.getDouble("score")).isEqualTo(0.9);
      assertThat(rs.getString("w")).isEqualTo("30");
      assertThat(rs.getString("ce")).isEqualTo("5");
      assertThat((Object[]) rs.getArray("embedding").getArray()).containsExactly(0.5f, -0.25f);
      assertThat(rs.getLong("latency_ms")).isEqualTo(40);
      assertThat(rs.getDouble("cost_usd")).isEqualTo(0.001);
      assertThat(rs.getString("k")).isEqualTo("v");
      assertThat(rs.getTimestamp("event_time").toInstant())
          .isEqualTo(Instant.parse("2026-11-24T10:00:00Z"));
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString("model_version")).isEqualTo("5.4");
      assertThat(rs.next()).isFalse();
    }
  }

  @Test
  void deadLetterUpsertKeepsOneRowPerItemAndStage() throws Exception {
    DeadLetter d = deadLetter("cannot parse; token=abc", null);
    for (int i = 0; i < 3; i++) {
      try (Connection c = connection.open();
          PreparedStatement ps = c.prepareStatement(PostgresSinks.UPSERT_DEAD_LETTER)) {
        PostgresTable.DEAD_LETTERS.bind(ps, d, RUN);
        ps.executeUpdate();
      }
    }
    try (Connection c = connection.open();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) AS n, min(error_code) AS code, min(category) AS cat,"
                    + " min(message) AS msg FROM dead_letters WHERE item_id = 'bad-1'")) {
      rs.next();
      assertThat(rs.getInt("n")).isEqualTo(1);
      assertThat(rs.getString("code")).isEqualTo("MMF-1004");
      assertThat(rs.getString("cat")).isEqualTo("BAD_INPUT");
      assertThat(rs.getString("msg")).isEqualTo("cannot parse; token=***");
    }
  }

  /** A fused result on 2026-11-24, times given as HH:MM:SS; a null label: no sentiment. */
  static FusedResult fused(
      String correlationId, String windowStart, String windowEnd, String fusedAt, String label) {
    return new FusedResult(
        correlationId,
        at(windowStart),
        at(windowEnd),
        List.of(Modality.TEXT, Modality.AUDIO),
        List.of(Modality.IMAGE),
        label == null
            ? null
            : new OverallSentiment(label, 0.7, 0.6, List.of(Modality.TEXT, Modality.AUDIO)),
        label == null ? null : 0.5,
        FusionStrategy.CONFIDENCE_WEIGHTED,
        FusionStatus.PARTIAL_FAILURE,
        3,
        at(fusedAt),
        1);
  }

  static Instant at(String timeOfDay) {
    return Instant.parse("2026-11-24T" + timeOfDay + "Z");
  }

  static void upsertFused(FusedResult f) throws Exception {
    try (Connection c = connection.open();
        PreparedStatement ps = c.prepareStatement(PostgresSinks.UPSERT_FUSED)) {
      PostgresTable.FUSED_RESULTS.bind(ps, f, RUN);
      ps.executeUpdate();
    }
  }

  @Test
  void fusedUpsertKeepsOneRowPerWindowWithEveryField() throws Exception {
    upsertFused(fused("conv-a", "10:00:00", "10:01:00", "10:01:05", "neutral"));
    // the window fires again (a late result within the allowed lateness): its row is replaced
    upsertFused(fused("conv-a", "10:00:00", "10:01:00", "10:01:09", "negative"));

    try (Connection c = connection.open();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT *, count(*) OVER () AS n FROM fused_results"
                    + " WHERE correlation_id = 'conv-a'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt("n")).isEqualTo(1);
      assertThat(rs.getTimestamp("window_start").toInstant()).isEqualTo(at("10:00:00"));
      assertThat(rs.getTimestamp("window_end").toInstant()).isEqualTo(at("10:01:00"));
      assertThat((Object[]) rs.getArray("modalities_present").getArray())
          .containsExactly("text", "audio");
      assertThat((Object[]) rs.getArray("modalities_missing").getArray()).containsExactly("image");
      assertThat(rs.getString("sentiment_label")).isEqualTo("negative");
      assertThat(rs.getDouble("sentiment_score")).isEqualTo(0.7);
      assertThat(rs.getDouble("sentiment_confidence")).isEqualTo(0.6);
      assertThat((Object[]) rs.getArray("sentiment_contributing_modalities").getArray())
          .containsExactly("text", "audio");
      assertThat(rs.getDouble("consistency")).isEqualTo(0.5);
      assertThat(rs.getString("strategy")).isEqualTo("confidence_weighted");
      assertThat(rs.getString("status")).isEqualTo("partial_failure");
      assertThat(rs.getInt("result_count")).isEqualTo(3);
      assertThat(rs.getTimestamp("fused_at").toInstant()).isEqualTo(at("10:01:09"));
      assertThat(rs.getInt("schema_version")).isEqualTo(1);
      assertThat(rs.getTimestamp("updated_at")).isNotNull();
      assertThat(rs.next()).isFalse();
    }
  }

  @Test
  void fusedWithoutSentimentLeavesTheSentimentColumnsNull() throws Exception {
    upsertFused(fused("conv-n", "10:00:00", "10:01:00", "10:01:05", null));
    try (Connection c = connection.open();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT sentiment_label, sentiment_score, sentiment_confidence,"
                    + " sentiment_contributing_modalities, consistency FROM fused_results"
                    + " WHERE correlation_id = 'conv-n'")) {
      assertThat(rs.next()).isTrue();
      for (int col = 1; col <= 5; col++) {
        assertThat(rs.getObject(col)).isNull();
      }
    }
  }

  @Test
  void fusedLatestShowsTheLatestWindowPerCorrelationId() throws Exception {
    // conv-1: two windows, the later one written first; conv-2: one window
    upsertFused(fused("conv-1", "11:05:00", "11:06:00", "11:06:02", "positive"));
    upsertFused(fused("conv-1", "11:00:00", "11:01:00", "11:07:00", "negative"));
    upsertFused(fused("conv-2", "11:00:00", "11:02:00", "11:02:01", "neutral"));
    // a session window that merged with an earlier one: same end, a later fusion wins
    upsertFused(fused("conv-3", "11:00:30", "11:02:00", "11:02:01", "neutral"));
    upsertFused(fused("conv-3", "11:00:00", "11:02:00", "11:02:09", "positive"));

    List<String> rows = new ArrayList<>();
    try (Connection c = connection.open();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT correlation_id, window_start, sentiment_label FROM fused_latest"
                    + " WHERE correlation_id IN ('conv-1', 'conv-2', 'conv-3')"
                    + " ORDER BY correlation_id")) {
      while (rs.next()) {
        rows.add(rs.getString(1) + " " + rs.getTimestamp(2).toInstant() + " " + rs.getString(3));
      }
    }
    assertThat(rows)
        .containsExactly(
            "conv-1 2026-11-24T11:05:00Z positive",
            "conv-2 2026-11-24T11:00:00Z neutral",
            "conv-3 2026-11-24T11:00:00Z positive");
  }

  @Test
  void lateUpsertKeepsOneRowPerResultKeyInLateResults() throws Exception {
    ModalityResult late =
        ModalityResult.builder()
            .itemId("late-1")
            .partId("p9")
            .correlationId("conv-late")
            .modality(Modality.TEXT)
            .task(Task.SENTIMENT)
            .labels(List.of(new Label("positive", 0.8)))
            .text("too late")
            .provenance(new Provenance("onnxruntime", "sentiment-en", "1", null, null, false))
            .timing(
                Timing.of(
                    Instant.parse("2026-11-24T09:00:00Z"),
                    Instant.parse("2026-11-24T10:00:00Z"),
                    Instant.parse("2026-11-24T10:00:00.010Z")))
            .build();
    for (int i = 0; i < 3; i++) {
      try (Connection c = connection.open();
          PreparedStatement ps = c.prepareStatement(PostgresSinks.UPSERT_LATE)) {
        PostgresTable.RESULTS.bind(ps, late, RUN);
        ps.executeUpdate();
      }
    }
    try (Connection c = connection.open();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) AS late, min(correlation_id) AS cid,"
                    + " min(labels->0->>'label') AS label,"
                    + " (SELECT count(*) FROM results WHERE item_id = 'late-1') AS results"
                    + " FROM late_results WHERE item_id = 'late-1'")) {
      rs.next();
      assertThat(rs.getInt("late")).isEqualTo(1);
      assertThat(rs.getInt("results")).isZero();
      assertThat(rs.getString("cid")).isEqualTo("conv-late");
      assertThat(rs.getString("label")).isEqualTo("positive");
    }
    // LIKE results INCLUDING ALL: the key and both indexes of results
    try (Connection c = connection.open();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM pg_indexes WHERE tablename = 'late_results'"
                    + " AND (indexdef LIKE '%(item_id, part_id, task, model_version)'"
                    + " OR indexdef LIKE '%(correlation_id)' OR indexdef LIKE '%(event_time)')")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(3);
    }
  }

  @Test
  void rowsOfOneBatchGetTheirOwnUpdatedAt() throws Exception {
    try (Connection c = connection.open();
        PreparedStatement ps = c.prepareStatement(PostgresSinks.UPSERT_FUSED)) {
      c.setAutoCommit(false); // one transaction, as a sink's batch: now() would be one instant
      PostgresTable.FUSED_RESULTS.bind(
          ps, fused("conv-b1", "12:00:00", "12:01:00", "12:01:01", "neutral"), RUN);
      ps.addBatch();
      Thread.sleep(5);
      PostgresTable.FUSED_RESULTS.bind(
          ps, fused("conv-b2", "12:00:00", "12:01:00", "12:01:01", "neutral"), RUN);
      ps.addBatch();
      ps.executeBatch();
      c.commit();
    }
    try (Connection c = connection.open();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(DISTINCT updated_at) FROM fused_results"
                    + " WHERE correlation_id IN ('conv-b1', 'conv-b2')")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(2);
    }
  }

  @Test
  void aRowCarriesTheRunThatWroteItLast() throws Exception {
    upsert(result("run-stamp", "7.0"));
    try (Connection c = connection.open()) {
      try (PreparedStatement ps = c.prepareStatement(PostgresSinks.UPSERT_RESULT)) {
        PostgresTable.RESULTS.bind(ps, result("run-stamp again", "7.0"), "a-later-run");
        ps.executeUpdate();
      }
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery("SELECT run_id, text FROM results WHERE model_version = '7.0'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("a-later-run");
        assertThat(rs.getString(2)).isEqualTo("run-stamp again");
        assertThat(rs.next()).isFalse();
      } finally {
        try (Statement s = c.createStatement()) {
          s.execute("DELETE FROM results WHERE model_version = '7.0'"); // others read all rows
        }
      }
    }
  }

  @Test
  void theSinksBindsSerializeWithTheRunId() throws Exception {
    // Flink ships the sinks' functions to the task managers: they must serialize
    for (Object bind :
        List.of(
            PostgresSinks.bindResult(RUN),
            PostgresSinks.bindDeadLetter(RUN),
            PostgresSinks.bindFused(null))) {
      assertThat(org.apache.flink.util.InstantiationUtil.serializeObject(bind)).isNotEmpty();
    }
  }

  @Test
  void everyUpsertStampsUpdatedAtWithTheClockAndLateIsTheResultsUpsertElsewhere() {
    assertThat(
            List.of(
                PostgresSinks.UPSERT_RESULT, PostgresSinks.UPSERT_LATE, PostgresSinks.UPSERT_FUSED))
        .allSatisfy(
            sql -> {
              assertThat(sql).doesNotContain("now()");
              assertThat(sql.split("clock_timestamp\\(\\)", -1)).hasSize(3);
            });
    assertThat(PostgresSinks.UPSERT_LATE)
        .isEqualTo(PostgresSinks.UPSERT_RESULT.replace("INTO results ", "INTO late_results "));
  }

  /**
   * A schema {@code name} holding the tables as the hand-written DDL created them before; the
   * connection's search path is set to it. Drop it after use: the other tests count tables and
   * indexes by name.
   */
  static void createTablesAsBefore(Connection c, String name) throws Exception {
    String before;
    try (InputStream in =
        PostgresSinksTest.class.getResourceAsStream("/postgres/tables-before-derivation.sql")) {
      before = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + name);
      s.execute("SET search_path TO " + name);
      s.execute(before);
    }
  }

  static void dropSchema(Connection c, String name) throws Exception {
    try (Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA " + name + " CASCADE");
    }
  }

  /** name, type and nullability of each column of {@code schema.table}, in table order. */
  static List<String> columns(Connection c, String schema, String table) throws Exception {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT column_name, udt_name, is_nullable FROM information_schema.columns"
                + " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
      ps.setString(1, schema);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
        }
      }
    }
    return out;
  }

  @Test
  void derivedTablesHaveTheColumnsOfTheTablesBeforeAndTheRunIdWhichTheSchemaAddsToThemInPlace()
      throws Exception {
    try (Connection c = connection.open()) {
      createTablesAsBefore(c, "before_columns");
      try {
        List<String> tables = List.of("results", "late_results", "dead_letters", "fused_results");
        for (String table : tables) {
          List<String> before = columns(c, "before_columns", table);
          assertThat(before).as(table).isNotEmpty().noneMatch(col -> col.startsWith("run_id "));
          List<String> derived = new ArrayList<>(columns(c, "public", table));
          assertThat(derived).as(table).contains("run_id text YES");
          derived.remove("run_id text YES");
          assertThat(derived).as(table).isEqualTo(before);
        }
        try (Statement s = c.createStatement()) {
          s.execute(PostgresSchema.ddl()); // what the runner applies, on the tables of before
        }
        for (String table : tables) {
          assertThat(columns(c, "before_columns", table))
              .as(table)
              .containsExactlyInAnyOrderElementsOf(columns(c, "public", table));
        }
      } finally {
        dropSchema(c, "before_columns");
      }
    }
  }

  @Test
  void aDatabaseWithTheTablesBeforeTakesTheSchemaAndTheUpserts() throws Exception {
    try (Connection c = connection.open()) {
      createTablesAsBefore(c, "before_upserts");
      try {
        try (Statement s = c.createStatement()) {
          s.execute(PostgresSchema.ddl()); // what the runner applies, on the tables of before
        }
        try (PreparedStatement ps = c.prepareStatement(PostgresSinks.UPSERT_RESULT)) {
          PostgresTable.RESULTS.bind(ps, result("kept", "5.3"), RUN);
          ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(PostgresSinks.UPSERT_FUSED)) {
          PostgresTable.FUSED_RESULTS.bind(
              ps, fused("conv-old", "10:00:00", "10:01:00", "10:01:05", null), RUN);
          ps.executeUpdate();
        }
        try (Statement s = c.createStatement();
            ResultSet rs =
                s.executeQuery(
                    "SELECT (SELECT count(*) FROM before_upserts.results WHERE text = 'kept'),"
                        + " (SELECT count(*) FROM before_upserts.fused_latest)")) {
          rs.next();
          assertThat(rs.getInt(1)).isEqualTo(1);
          assertThat(rs.getInt(2)).isEqualTo(1);
        }
      } finally {
        dropSchema(c, "before_upserts");
      }
    }
  }

  @Test
  void jsonbColumnsHoldSnakeCaseObjectsWithoutNullsOrNul() throws Exception {
    ModalityResult r =
        ModalityResult.builder()
            .itemId("json-1")
            .modality(Modality.AUDIO)
            .task(Task.TRANSCRIPTION)
            .labels(List.of(new Label("po\u0000s", 0.5)))
            .entities(
                List.of(
                    new Entity("a\u0000b", "segment", null, null, null, new TimeSpan(5, 9), null)))
            .provenance(new Provenance("onnxruntime", "m", "1", null, null, false))
            .timing(Timing.of(Instant.EPOCH, Instant.EPOCH, Instant.EPOCH))
            .attribute("k\u0000", "v\u0000")
            .build();
    upsert(r);
    try (Connection c = connection.open();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT labels::text, entities::text, attributes::text, embedding, error_retryable"
                    + " FROM results WHERE item_id = 'json-1'")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("[{\"label\": \"pos\", \"score\": 0.5}]");
      assertThat(rs.getString(2))
          .isEqualTo(
              "[{\"text\": \"ab\", \"type\": \"segment\", \"time_end_ms\": 9,"
                  + " \"time_start_ms\": 5}]");
      assertThat(rs.getString(3)).isEqualTo("{\"k\": \"v\"}");
      assertThat(rs.getObject(4)).isNull();
      assertThat(rs.getObject(5)).isNull();
    }
  }

  @Test
  void ddlIsTheDerivedTablesThenTheFile() {
    String ddl = PostgresSchema.ddl();
    assertThat(ddl)
        .contains(
            "CREATE TABLE IF NOT EXISTS results (",
            "    labels          jsonb NOT NULL DEFAULT '[]',",
            "    updated_at      timestamptz NOT NULL DEFAULT clock_timestamp(),",
            "    PRIMARY KEY (item_id, part_id, task, model_version)")
        .doesNotContain("TABLE IF NOT EXISTS remote_answers");
    assertThat(ddl.indexOf("CREATE TABLE IF NOT EXISTS fused_results ("))
        .isLessThan(ddl.indexOf("CREATE INDEX IF NOT EXISTS fused_results_latest_idx"));
    assertThat(ddl.indexOf("CREATE INDEX IF NOT EXISTS results_event_time_idx"))
        .isLessThan(ddl.indexOf("CREATE TABLE IF NOT EXISTS late_results (LIKE results"));
  }
}
