package io.mmflow.jobs.feeds;

import static io.mmflow.jobs.feeds.FeedFixture.T0;
import static io.mmflow.jobs.feeds.FeedFixture.await;
import static io.mmflow.jobs.feeds.FeedFixture.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.connectors.embedded.EmbeddedKafkaBroker;
import io.mmflow.connectors.embedded.EmbeddedPostgresServer;
import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.jobs.runtime.JobEnvironment;
import io.mmflow.jobs.runtime.ServingDatabase;
import io.mmflow.jobs.trino.TrinoJava;
import io.mmflow.jobs.trino.TrinoServer;
import io.mmflow.jobs.trino.TrinoSession;
import io.mmflow.jobs.trino.TrinoTests;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trino reading the results table while the feeds job commits to it (a checkpoint a second): the
 * count it sees never goes backwards, every count it sees is the count of one of the table's
 * snapshots (a whole commit, never part of a checkpoint), and once the job has committed all, Trino
 * and PostgreSQL hold the same results and the same fused results.
 */
class FeedsTrinoITCase {
  static final String TOPIC = "feed";
  static final int BATCHES = 12;
  static final int EVENTS_PER_BATCH = 10;

  /** The batch whose event times (200 × 5 s on) close every earlier session window. */
  static final int CLOSING_BATCH = 200;

  @Test
  void trinoSeesOnlyWholeCommitsWhileTheFeedsJobWrites(@TempDir Path dir) throws Exception {
    String noJdk = TrinoJava.missingJava();
    Assumptions.assumeTrue(noJdk == null, noJdk);
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(null, 0);
        KafkaProducer<byte[], byte[]> producer = FeedFixture.producer(broker)) {
      broker.createTopic(TOPIC, 2);
      Configuration config =
          FeedFixture.config(
              dir,
              broker,
              postgres,
              TOPIC,
              Map.of("mmflow.runtime.checkpoint-interval", "1 s", "mmflow.fusion.gap", "30 s"));
      TrinoTests.shareInstallation(config);
      try (ServingDatabase db = ServingDatabase.open(config);
          TrinoSession trino = TrinoSession.open(config, 0, System.out);
          Connection t = trino.server().connect()) {
        // the run's id, as the runner gives it: the job's id, stamped on every row
        Configuration run = JobEnvironment.withRunId(config);
        StreamExecutionEnvironment env = FeedFixture.environment(run, db.connection());
        FeedsJob.build(env, run, db.connection(), FeedsJob.Taps.NONE);
        JobClient job = env.executeAsync("feeds-trino-it");
        assertThat(job.getJobID().toHexString()).isEqualTo(run.get(RuntimeOptions.RUN_ID));
        List<Long> seen = new ArrayList<>();
        AtomicBoolean producing = new AtomicBoolean(true);
        AtomicReference<Exception> failed = new AtomicReference<>();
        String url = postgres.jdbcUrl();
        // the first batch, and the job running on it, before the reads start
        sendBatch(producer, 0);
        await(
            "the first batch",
            Duration.ofSeconds(120),
            () ->
                queryLong(url, "SELECT count(*) FROM results WHERE task = 'sentiment'")
                    >= EVENTS_PER_BATCH);
        Thread writer =
            new Thread(
                () -> {
                  try {
                    for (int b = 1; b < BATCHES; b++) {
                      sendBatch(producer, b);
                      Thread.sleep(1500); // a commit or so a batch
                    }
                    // a batch far later in event time: its watermark closes every conversation's
                    // session window, so the fused results are written too
                    sendBatch(producer, CLOSING_BATCH);
                  } catch (Exception e) {
                    failed.set(e);
                  } finally {
                    producing.set(false);
                  }
                });
        try {
          writer.start();
          // read while the job commits, until it has written everything and Iceberg caught up
          long pg = -1;
          long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
          while (System.nanoTime() < deadline) {
            long count = count(t, "SELECT count(*) FROM mmflow.mmflow.results");
            seen.add(count);
            pg = queryLong(url, "SELECT count(*) FROM results WHERE task = 'sentiment'");
            if (!producing.get() && pg == (BATCHES + 1) * EVENTS_PER_BATCH) {
              long all = queryLong(url, "SELECT count(*) FROM results");
              long fused = queryLong(url, "SELECT count(*) FROM fused_results");
              if (count == all
                  && fused == EVENTS_PER_BATCH
                  && count(t, "SELECT count(*) FROM mmflow.mmflow.fused_results") == fused) {
                break;
              }
            }
            Thread.sleep(250);
          }
          assertThat(failed.get()).isNull();
          assertThat(pg).isEqualTo((BATCHES + 1) * EVENTS_PER_BATCH);
          long all = queryLong(url, "SELECT count(*) FROM results");
          assertThat(seen.get(seen.size() - 1)).isEqualTo(all);
          // the fused results, once committed: the same windows in Trino and PostgreSQL, one per
          // conversation, each counting that conversation's results
          String fused =
              "SELECT correlation_id || ' ' || coalesce(sentiment_label, '-') || ' ' || status"
                  + " || ' ' || run_id, result_count"
                  + " FROM fused_results";
          Map<String, Long> inPostgres = pairs(url, fused);
          assertThat(inPostgres)
              .hasSize(EVENTS_PER_BATCH)
              .allSatisfy((k, n) -> assertThat(k).endsWith(" " + job.getJobID().toHexString()));
          assertThat(trinoPairs(t, fused.replace("fused_results", "mmflow.mmflow.fused_results")))
              .isEqualTo(inPostgres);
        } finally {
          job.cancel().get();
          writer.join();
        }
        // never backwards
        for (int i = 1; i < seen.size(); i++) {
          assertThat(seen.get(i))
              .as("read %d of %s", i, seen)
              .isGreaterThanOrEqualTo(seen.get(i - 1));
        }
        // every count read is a whole commit's: the count of one of the table's snapshots
        Set<Long> snapshotCounts = new HashSet<>();
        snapshotCounts.add(0L);
        List<Long> snapshots = new ArrayList<>();
        try (Statement s = t.createStatement();
            ResultSet rs =
                TrinoServer.query(
                    s, "SELECT snapshot_id FROM mmflow.mmflow.\"results$snapshots\"")) {
          while (rs.next()) {
            snapshots.add(rs.getLong(1));
          }
        }
        for (long id : snapshots) {
          snapshotCounts.add(
              count(t, "SELECT count(*) FROM mmflow.mmflow.results FOR VERSION AS OF " + id));
        }
        System.out.printf(
            "Trino read the results table %d times while the job committed: %d distinct counts,"
                + " %d snapshots%n",
            seen.size(), new HashSet<>(seen).size(), snapshots.size());
        assertThat(snapshots.size()).as("commits while reading").isGreaterThan(2);
        assertThat(snapshotCounts).containsAll(new HashSet<>(seen));
        assertThat(new HashSet<>(seen).size())
            .as("distinct counts read: %s", seen)
            .isGreaterThan(2);
      }
    }
  }

  private static void sendBatch(KafkaProducer<byte[], byte[]> producer, int b) throws Exception {
    List<String> keys = new ArrayList<>();
    List<byte[]> events = new ArrayList<>();
    for (int i = 0; i < EVENTS_PER_BATCH; i++) {
      String id = "e" + b + "-" + i;
      keys.add("c" + i);
      events.add(
          FeedFixture.textEvent(
              id,
              "c" + i,
              T0.plusSeconds(b * 5L + i),
              "Post " + id + ": the battery is great and the screen is lovely."));
    }
    FeedFixture.send(producer, TOPIC, keys, events);
  }

  /** (key, count) rows of a query on PostgreSQL. */
  private static Map<String, Long> pairs(String url, String query) throws Exception {
    try (Connection c = java.sql.DriverManager.getConnection(url)) {
      return trinoPairs(c, query);
    }
  }

  /** (key, count) rows of a query, read whole (Trino's retry on a dropped node included). */
  private static Map<String, Long> trinoPairs(Connection c, String query) throws Exception {
    Map<String, Long> out = new java.util.TreeMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs = TrinoServer.query(s, query)) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getLong(2));
      }
    }
    return out;
  }

  private static long count(Connection c, String query) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs = TrinoServer.query(s, query)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
