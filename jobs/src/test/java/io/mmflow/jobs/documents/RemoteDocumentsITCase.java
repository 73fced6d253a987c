package io.mmflow.jobs.documents;

import static io.mmflow.jobs.documents.DocumentsJobITCase.icebergRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mmflow.connectors.embedded.LoopbackOpenAiServer;
import io.mmflow.datasets.models.audio.ToneSpeech;
import io.mmflow.jobs.runtime.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documents job with remote providers on the loopback OpenAI server, end to end on a Flink
 * MiniCluster with a real Iceberg warehouse and a real PostgreSQL: what reaches the provider, what
 * each result and run cost, and answers reused across runs from Postgres.
 */
class RemoteDocumentsITCase {
  @RegisterExtension
  static final JobFixture.SharedPostgres POSTGRES = new JobFixture.SharedPostgres();

  static String jdbcUrl(String database) {
    return JobFixture.url(POSTGRES.server(), database);
  }

  @Test
  void remoteProvidersGetTextImagesAndAudioAndResultsCarryCostAndProvenance(@TempDir Path dir)
      throws Exception {
    try (LoopbackOpenAiServer server = LoopbackOpenAiServer.start()) {
      Path providers =
          server.writeProvidersFile(
              dir.resolve("providers.yaml"),
              """
                - id: vision
                  model: gpt-4o
                  tasks: [summary, caption, transcription]
                  cost: {input-per-1k: 0.005, output-per-1k: 0.015, per-call: 0.001}
              """);
      Path input = Files.createDirectories(dir.resolve("in"));
      Files.writeString(
          input.resolve("note.txt"),
          "The battery died after two days. Write to jane.doe@example.com for a refund.");
      Files.write(input.resolve("call.wav"), ToneSpeech.render("hello", 16_000).toWav(1));
      java.awt.image.BufferedImage red =
          new java.awt.image.BufferedImage(32, 32, java.awt.image.BufferedImage.TYPE_INT_RGB);
      javax.imageio.ImageIO.write(red, "png", input.resolve("photo.png").toFile());
      Configuration config =
          JobFixture.config(
              POSTGRES.server(),
              input,
              dir.resolve("data"),
              "remote_run",
              Map.of(
                  "mmflow.remote.providers", providers.toString(),
                  "mmflow.remote.text-task", "summary",
                  "mmflow.remote.image-caption", "true",
                  "mmflow.remote.audio-transcription", "true"));

      RunSummary summary = JobFixture.run(config);
      // photo.png has no text: a dead letter of the documents job, and still a caption
      assertThat(summary.items()).isEqualTo(3);
      assertThat(summary.itemsDone()).isEqualTo(2);
      assertThat(summary.deadLetters()).isEqualTo(1);

      List<String> byTask = new java.util.ArrayList<>();
      try (Connection c = DriverManager.getConnection(jdbcUrl("remote_run"));
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT task, provider, model_id, cost_usd, status, source_uri FROM results"
                      + " WHERE provider = 'loop'")) {
        while (rs.next()) {
          assertThat(rs.getString("status")).isEqualTo("ok");
          assertThat(rs.getString("model_id")).isEqualTo("vision");
          assertThat(rs.getDouble("cost_usd")).isPositive();
          String uri = rs.getString("source_uri");
          byTask.add(rs.getString("task") + " " + uri.substring(uri.lastIndexOf('/') + 1));
        }
      }
      try (Connection c = DriverManager.getConnection(jdbcUrl("remote_run"));
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery("SELECT results, cost_usd FROM model_costs WHERE provider = 'loop'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong("results")).isEqualTo(4);
        assertThat(rs.getDouble("cost_usd")).isGreaterThan(0.004); // 4 calls at 0.001 + tokens
      }
      // the run's spend: in the summary and in job_costs
      assertThat(summary.remoteCosts()).containsOnlyKeys("loop/vision");
      assertThat(summary.remoteCosts().get("loop/vision").results).isEqualTo(4);
      try (Connection c = DriverManager.getConnection(jdbcUrl("remote_run"));
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT job_name, results, errors, cost_usd FROM job_costs"
                      + " WHERE provider = 'loop' AND model_id = 'vision'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("job_name")).isEqualTo("documents");
        assertThat(rs.getLong("results")).isEqualTo(4);
        assertThat(rs.getLong("errors")).isZero();
        assertThat(rs.getDouble("cost_usd"))
            .isCloseTo(summary.remoteCosts().get("loop/vision").usd, within(1e-9))
            .isGreaterThan(0.004);
        assertThat(rs.next()).isFalse();
      }
      // the transcript is a text too: it gets its summary
      assertThat(byTask)
          .containsExactlyInAnyOrder(
              "summary note.txt",
              "caption photo.png",
              "transcription call.wav",
              "summary call.wav");
      assertThat(
              icebergRows(config, true).stream()
                  .filter(r -> "loop".equals(r.getField("provider")))
                  .count())
          .isEqualTo(4);
      // what reached the provider: the text with the address redacted, the image, the audio
      List<String> sent =
          server.requests().stream()
              .map(io.mmflow.connectors.embedded.LoopbackRequest::body)
              .toList();
      assertThat(sent).noneMatch(body -> body.contains("jane.doe@example.com"));
      assertThat(sent)
          .filteredOn(body -> body.contains("The battery died"))
          .singleElement()
          .asString()
          .contains("Write to [EMAIL] for a refund.");
      assertThat(server.requests())
          .extracting(io.mmflow.connectors.embedded.LoopbackRequest::path)
          .contains("/v1/chat/completions", "/v1/audio/transcriptions");
    }
  }

  @Test
  void remoteAnswersPaidForInOneRunAreReusedByTheNextFromPostgres(@TempDir Path dir)
      throws Exception {
    try (LoopbackOpenAiServer server = LoopbackOpenAiServer.start()) {
      Path providers =
          server.writeProvidersFile(
              dir.resolve("providers.yaml"),
              """
                - id: writer
                  model: gpt-4o-mini
                  tasks: [summary]
                  cost: {input-per-1k: 0.00015, output-per-1k: 0.0006, per-call: 0.001}
              """);
      Path input = Files.createDirectories(dir.resolve("in"));
      Files.writeString(
          input.resolve("note.txt"), "The battery died after two days. I want a refund.");
      Configuration config =
          JobFixture.config(
              POSTGRES.server(),
              input,
              dir.resolve("data"),
              "remote_store_run",
              Map.of(
                  "mmflow.remote.providers", providers.toString(),
                  "mmflow.remote.text-task", "summary",
                  "mmflow.remote.cache.postgres", "true"));

      JobFixture.run(config);
      assertThat(server.requests())
          .filteredOn(r -> r.body().contains("The battery died"))
          .hasSize(1);
      server.reset();
      // a second run (a backfill over the same files): a fresh operator, an empty memory cache
      RunSummary again = JobFixture.run(config);
      assertThat(again.itemsDone()).isEqualTo(1);
      assertThat(server.requestCount()).isZero();
      try (Connection c = DriverManager.getConnection(jdbcUrl("remote_store_run"));
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT cache_hit, cost_usd, status, text FROM results"
                      + " WHERE provider = 'loop' AND task = 'summary'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBoolean("cache_hit")).isTrue();
        assertThat(rs.getDouble("cost_usd")).isZero();
        assertThat(rs.getString("status")).isEqualTo("ok");
        assertThat(rs.getString("text")).isEqualTo("The battery died after two days.");
        assertThat(rs.next()).isFalse();
      }
      // what each run spent: the first paid, the second was served from the table
      try (Connection c = DriverManager.getConnection(jdbcUrl("remote_store_run"));
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT results, cache_hits, cost_usd FROM job_costs ORDER BY started_at")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong("cache_hits")).isZero();
        assertThat(rs.getDouble("cost_usd")).isGreaterThan(0.001);
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong("results")).isEqualTo(1);
        assertThat(rs.getLong("cache_hits")).isEqualTo(1);
        assertThat(rs.getDouble("cost_usd")).isZero();
        assertThat(rs.next()).isFalse();
      }
      try (Connection c = DriverManager.getConnection(jdbcUrl("remote_store_run"));
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT jobs, results FROM daily_costs")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong("jobs")).isEqualTo(2);
        assertThat(rs.getLong("results")).isEqualTo(2);
      }
      try (Connection c = DriverManager.getConnection(jdbcUrl("remote_store_run"));
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT model_id, task FROM remote_answers")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("model_id")).isEqualTo("writer");
        assertThat(rs.getString("task")).isEqualTo("summary");
        assertThat(rs.next()).isFalse();
      }
    }
  }
}
