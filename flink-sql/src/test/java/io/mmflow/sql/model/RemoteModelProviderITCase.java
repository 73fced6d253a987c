package io.mmflow.sql.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mmflow.connectors.embedded.LoopbackOpenAiServer;
import io.mmflow.datasets.documents.SampleDocuments;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code CREATE MODEL ... WITH ('provider' = 'mmflow', 'task' = ...)} against the loopback
 * OpenAI-compatible server on a MiniCluster, through the jobs' remote stage: with half of the calls
 * failing (HTTP 500) every row still ends OK through retries, with its cost and the model that
 * answered; a repeated text is a cache hit; an image gets a caption from its bytes; the PII guard
 * keeps an e-mail address from the provider.
 */
class RemoteModelProviderITCase {
  @TempDir static Path dir;
  static LoopbackOpenAiServer server;
  static TableEnvironment sql;

  @BeforeAll
  static void start() throws Exception {
    server = LoopbackOpenAiServer.start();
    Path providers =
        server.writeProvidersFile(
            dir.resolve("providers.yaml"),
            """
            - id: big
              model: gpt-4o
              tasks: [sentiment, caption]
              cost: {input-per-1k: 0.005, output-per-1k: 0.015}
              quality: 0.9
            """);
    SampleDocuments.generate(dir.resolve("docs"));
    sql = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
    sql.executeSql(
        "CREATE MODEL remote_sentiment INPUT (text STRING) OUTPUT (label STRING, status STRING,"
            + " error_code STRING, model_id STRING, cost_usd DOUBLE, cache_hit BOOLEAN,"
            + " entities ARRAY<ROW<text STRING, type STRING, char_start INT, char_end INT, box_x"
            + " INT, box_y INT, box_width INT, box_height INT, time_start_ms BIGINT, time_end_ms"
            + " BIGINT, confidence DOUBLE>>) WITH ('provider' = 'mmflow', 'task' = 'sentiment',"
            + " 'mmflow.remote.providers' = '"
            + providers
            + "', 'mmflow.remote.backoff' = '10 ms', 'mmflow.remote.max-attempts' = '8')");
    sql.executeSql(
        "CREATE MODEL captions INPUT (image BYTES) OUTPUT (text STRING, status STRING)"
            + " WITH ('provider' = 'mmflow', 'task' = 'caption', 'mmflow.remote.providers' = '"
            + providers
            + "')");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Sixteen more distinct texts: enough calls that the faults surely hit some. */
  static final String MORE_REVIEWS =
      java.util.stream.IntStream.range(0, 16)
          .mapToObj(i -> ", ('Review " + i + ": good value and a nice screen')")
          .collect(java.util.stream.Collectors.joining());

  static List<Row> rows(String query) throws Exception {
    List<Row> out = new ArrayList<>();
    try (CloseableIterator<Row> it = sql.executeSql(query).collect()) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void everyRowAnsweredThroughFaultsWithCostAndCache() throws Exception {
    server.settings().serverErrorRate(0.3);
    // one call at a time, so the repeated text comes after its first answer is cached
    sql.getConfig().set("table.exec.async-ml-predict.max-concurrent-operations", "1");
    try {
      List<Row> rows =
          rows(
              "SELECT review, label, status, error_code, model_id, cost_usd, cache_hit,"
                  + " CARDINALITY(entities) FROM ML_PREDICT((SELECT * FROM (VALUES ('I love this"
                  + " great product'), ('Awful, terrible and broken'), ('I love this great"
                  + " product'), ('Write to anna.berg@example.org, it was great')"
                  + MORE_REVIEWS
                  + ") AS t(review)),"
                  + " MODEL remote_sentiment, DESCRIPTOR(review))");
      assertThat(rows).hasSize(4 + 16);
      // retries answer nearly every row; one whose eight attempts all failed is an error row
      // with the provider's code, never a failed query
      for (Row r : rows) {
        assertThat(r.getField(2)).as(r.toString()).isIn("ok", "error");
        if (r.getField(2).equals("error")) {
          assertThat(r.getField(3)).as(r.toString()).isEqualTo("MMF-2002");
        }
        assertThat(r.getField(4)).isEqualTo("big"); // the providers file's model id
        assertThat((Double) r.getField(5)).isGreaterThanOrEqualTo(0.0);
      }
      assertThat(rows).filteredOn(r -> r.getField(2).equals("ok")).hasSizeGreaterThan(16);
      assertThat(rows)
          .filteredOn(r -> r.getField(0).equals("Awful, terrible and broken"))
          .singleElement()
          .satisfies(r -> assertThat(r.getField(1)).isEqualTo("negative"));
      // the same text twice: one call, then a cache hit
      assertThat(rows)
          .filteredOn(r -> r.getField(0).equals("I love this great product"))
          .extracting(r -> (Boolean) r.getField(6))
          .containsExactlyInAnyOrder(true, false);
      // the e-mail address: a pii entity, and never sent
      assertThat(rows)
          .filteredOn(r -> ((String) r.getField(0)).startsWith("Write to"))
          .singleElement()
          .satisfies(r -> assertThat(r.getField(7)).isEqualTo(1));
      assertThat(server.requests().toString()).doesNotContain("anna.berg@example.org");
      assertThat(server.statusCounts()).containsKey(500); // the faults happened
    } finally {
      server.settings().serverErrorRate(0);
      sql.getConfig().set("table.exec.async-ml-predict.max-concurrent-operations", "10");
    }
  }

  @Test
  void anImageGetsACaptionFromItsBytes() throws Exception {
    Path png = dir.resolve("docs/scans/scanned-memo.png");
    sql.createTemporaryView(
        "images",
        sql.fromValues(
            org.apache.flink.table.api.DataTypes.ROW(
                org.apache.flink.table.api.DataTypes.FIELD(
                    "image", org.apache.flink.table.api.DataTypes.BYTES())),
            Row.of((Object) java.nio.file.Files.readAllBytes(png))));
    List<Row> rows =
        rows(
            "SELECT text, status FROM ML_PREDICT(TABLE images, MODEL captions, DESCRIPTOR(image))");
    assertThat(rows).singleElement().satisfies(r -> assertThat(r.getField(1)).isEqualTo("ok"));
    assertThat((String) rows.get(0).getField(0)).isNotBlank();
  }

  @Test
  void aRemoteModelNeedsItsProvidersAndTheRightInput() {
    sql.executeSql(
        "CREATE MODEL no_providers INPUT (text STRING) OUTPUT (label STRING)"
            + " WITH ('provider' = 'mmflow', 'task' = 'sentiment')");
    assertThatThrownBy(
            () ->
                sql.executeSql(
                        "SELECT * FROM ML_PREDICT((SELECT 'x' AS t), MODEL no_providers,"
                            + " DESCRIPTOR(t))")
                    .await())
        .hasStackTraceContaining("needs 'mmflow.remote.providers'");
    sql.executeSql(
        "CREATE MODEL both_kinds INPUT (text STRING) OUTPUT (label STRING)"
            + " WITH ('provider' = 'mmflow', 'task' = 'sentiment', 'model' = 'sentiment-en')");
    assertThatThrownBy(
            () ->
                sql.executeSql(
                        "SELECT * FROM ML_PREDICT((SELECT 'x' AS t), MODEL both_kinds,"
                            + " DESCRIPTOR(t))")
                    .await())
        .hasStackTraceContaining("give 'model' (a registry model, or tesseract) or 'task'");
  }
}
