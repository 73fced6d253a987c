package io.mmflow.connectors.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.connectors.postgres.EmbeddedPostgresServer;
import io.mmflow.connectors.postgres.PostgresConnection;
import io.mmflow.connectors.postgres.PostgresSchema;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.model.BoundingBox;
import io.mmflow.core.model.Cost;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.Entity;
import io.mmflow.core.model.Label;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.Provenance;
import io.mmflow.core.model.Task;
import io.mmflow.core.model.Timing;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The upsert statements against a real PostgreSQL: replays leave one row per key. */
class PostgresSinksTest {
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

  static ModalityResult result(String text, String version) {
    Instant t = Instant.parse("2026-11-24T10:00:00Z");
    return ModalityResult.builder()
        .itemId("item-1")
        .partId("p2")
        .modality(Modality.OCR)
        .task(Task.OCR)
        .labels(List.of(new Label("invoice", 0.9)))
        .entities(
            List.of(new Entity("Total", "word", 0, 5, new BoundingBox(1, 2, 30, 10), null, 0.8)))
        .text(text)
        .embedding(new float[] {0.5f, -0.25f})
        .confidence(0.8, "mean word confidence")
        .provenance(new Provenance("tesseract", "eng", version, "s3://b/k", "ab", false))
        .timing(Timing.of(t, t, t.plusMillis(40)))
        .cost(new Cost(3, 4, 0.001))
        .attribute("k", "v")
        .build();
  }

  static void upsert(ModalityResult r) throws Exception {
    try (Connection c = connection.open();
        PreparedStatement ps = c.prepareStatement(PostgresSinks.UPSERT_RESULT)) {
      PostgresSinks.bindResult(ps, r);
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
    DeadLetter d =
        new DeadLetter(
            "bad-1",
            "0",
            null,
            "file:///x.pdf",
            "extract",
            ErrorCode.CORRUPT_INPUT,
            "cannot parse; token=abc",
            false,
            "application/pdf",
            12,
            "ff",
            Instant.now(),
            null);
    for (int i = 0; i < 3; i++) {
      try (Connection c = connection.open();
          PreparedStatement ps = c.prepareStatement(PostgresSinks.UPSERT_DEAD_LETTER)) {
        PostgresSinks.bindDeadLetter(ps, d);
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
}
