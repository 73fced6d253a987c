package io.mmflow.jobs.feeds;

import static io.mmflow.jobs.feeds.FeedFixture.T0;
import static io.mmflow.jobs.feeds.FeedFixture.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.connectors.embedded.EmbeddedKafkaBroker;
import io.mmflow.connectors.embedded.EmbeddedPostgresServer;
import io.mmflow.connectors.sink.iceberg.IcebergTables;
import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.jobs.deploy.StandaloneFlinkCluster;
import io.mmflow.jobs.runtime.JobEnvironment;
import io.mmflow.jobs.runtime.ServingDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The services around the feeds job restarted under load: while events arrive at 100 a second, the
 * serving PostgreSQL (which also holds the Iceberg catalog) is stopped for 5 s and started again on
 * its data, then the Kafka broker likewise. The job fails over (PostgreSQL) or rides it out (Kafka:
 * its consumers reconnect) and catches up; afterwards PostgreSQL and Iceberg hold exactly one
 * result per event (count and key checksum) and each conversation one fused view. The restarts
 * Flink made and the catch-up times are printed ({@code RESTARTS ...}).
 */
class FeedsServiceRestartITCase {
  static final String TOPIC = "feed";
  static final int PER_SECOND = 100;
  static final int PER_CONVERSATION = 3;

  @Test
  void postgresAndKafkaRestartedUnderLoadLoseNothing(@TempDir Path dir) throws Exception {
    int postgresPort = StandaloneFlinkCluster.freePort();
    int kafkaPort = StandaloneFlinkCluster.freePort();
    int metricsPort = StandaloneFlinkCluster.freePort();
    Path postgresData = dir.resolve("postgres");
    Path kafkaLog = dir.resolve("kafka");
    EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(postgresData, postgresPort);
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(kafkaLog, kafkaPort);
    try (KafkaProducer<byte[], byte[]> producer = FeedFixture.producer(broker)) {
      broker.createTopic(TOPIC, 2);
      String url = postgres.jdbcUrl();
      Configuration config =
          FeedFixture.config(
              dir,
              broker,
              postgres,
              TOPIC,
              Map.of(
                  "mmflow.runtime.checkpoint-interval",
                  "500 ms",
                  "mmflow.fusion.out-of-orderness",
                  "1 h",
                  RuntimeOptions.METRICS_PORT.key(),
                  String.valueOf(metricsPort),
                  "restart-strategy.type",
                  "fixed-delay",
                  "restart-strategy.fixed-delay.attempts",
                  "100",
                  "restart-strategy.fixed-delay.delay",
                  "1 s"));

      AtomicInteger sent = new AtomicInteger();
      AtomicBoolean stop = new AtomicBoolean();
      CompletableFuture<Void> producing = produce(producer, sent, stop);
      try (ServingDatabase db = ServingDatabase.open(config)) {
        JobEnvironment.prepareSinks(config, db.connection(), System.out);
        StreamExecutionEnvironment env =
            StreamExecutionEnvironment.createLocalEnvironment(
                2, JobEnvironment.localFlinkConfiguration(config));
        JobEnvironment.configure(env, config);
        FeedsJob.build(env, config, db.connection(), FeedsJob.Taps.NONE);
        JobClient job = env.executeAsync("feeds-service-restarts");
        try {
          String count = "SELECT count(*) FROM results";
          FeedFixture.await("results", Duration.ofMinutes(2), () -> queryLong(url, count) > 300);

          // 1. PostgreSQL (results, fused views and the Iceberg catalog) down for 5 s
          postgres.close();
          Thread.sleep(5_000);
          postgres = EmbeddedPostgresServer.start(postgresData, postgresPort);
          long postgresBack = System.nanoTime();
          long beforePostgres = queryLong(url, count);
          FeedFixture.await(
              "results after PostgreSQL came back",
              Duration.ofMinutes(2),
              () -> queryLong(url, count) > beforePostgres + 100);
          double postgresCatchUp = (System.nanoTime() - postgresBack) / 1e9;

          // 2. the Kafka broker down for 5 s, on the same log and port
          broker.close();
          Thread.sleep(5_000);
          broker = EmbeddedKafkaBroker.start(kafkaLog, kafkaPort);
          long kafkaBack = System.nanoTime();
          long beforeKafka = queryLong(url, count);
          FeedFixture.await(
              "results after Kafka came back",
              Duration.ofMinutes(2),
              () -> queryLong(url, count) > beforeKafka + 100);
          double kafkaCatchUp = (System.nanoTime() - kafkaBack) / 1e9;

          stop.set(true);
          producing.get(2, TimeUnit.MINUTES);
          closers(producer);
          int events = sent.get();
          int conversations = (events + PER_CONVERSATION - 1) / PER_CONVERSATION;
          FeedFixture.await(
              "every event's result and every conversation's fused view, in both stores",
              Duration.ofMinutes(3),
              () ->
                  queryLong(url, "SELECT count(*) FROM results WHERE item_id LIKE 'item-%'")
                          == events
                      && queryLong(url, "SELECT count(*) FROM fused_results") >= conversations
                      && FeedFixture.icebergRows(config, IcebergTables.fusedTable(config)).size()
                          >= conversations);
          MetricsScrapeITCase.Scrape scrape =
              MetricsScrapeITCase.parse(
                  MetricsScrapeITCase.get("http://localhost:" + metricsPort + "/metrics"));
          System.out.printf(
              "RESTARTS flink_restarts=%.0f events=%d postgres_back_to_results_s=%.1f"
                  + " kafka_back_to_results_s=%.1f%n",
              scrape.total("flink_jobmanager_job_numRestarts"),
              events,
              postgresCatchUp,
              kafkaCatchUp);

          long itemChecksum = 0;
          for (int i = 0; i < events; i++) {
            itemChecksum += FeedsFailureITCase.crc("item-" + i);
          }
          String items = "FROM results WHERE item_id LIKE 'item-%'";
          assertThat(queryLong(url, "SELECT count(*) " + items)).isEqualTo(events);
          assertThat(queryLong(url, "SELECT count(DISTINCT item_id) " + items)).isEqualTo(events);
          assertThat(FeedsFailureITCase.checksum(FeedFixture.query(url, "SELECT item_id " + items)))
              .isEqualTo(itemChecksum);
          assertThat(queryLong(url, "SELECT count(*) FROM dead_letters")).isZero();
          assertThat(queryLong(url, "SELECT count(*) FROM fused_results")).isEqualTo(conversations);
          assertThat(queryLong(url, "SELECT sum(result_count) FROM fused_results"))
              .isEqualTo(events);
          // Iceberg: committed once per checkpoint, none twice across the restarts
          FeedFixture.await(
              "Iceberg's results",
              Duration.ofMinutes(1),
              () ->
                  FeedFixture.icebergRows(config, IcebergTables.resultsTable(config)).size()
                      >= events);
          List<Record> rows =
              FeedFixture.icebergRows(config, IcebergTables.resultsTable(config)).stream()
                  .filter(r -> ((String) r.getField("item_id")).startsWith("item-"))
                  .toList();
          assertThat(rows).hasSize(events);
          assertThat(FeedsFailureITCase.checksum(rows, "item_id")).isEqualTo(itemChecksum);
        } finally {
          job.cancel().get();
        }
      }
    } finally {
      broker.close();
      postgres.close();
    }
  }

  /** Events at 100 a second until {@code stop}, three to a conversation; sends survive outages. */
  static CompletableFuture<Void> produce(
      KafkaProducer<byte[], byte[]> producer, AtomicInteger sent, AtomicBoolean stop) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            long start = System.nanoTime();
            for (int i = 0; !stop.get(); i++) {
              long wait = start + i * 1_000_000_000L / PER_SECOND - System.nanoTime();
              if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
              }
              String conversation = "conv-" + i / PER_CONVERSATION;
              String text = (i % 2 == 0 ? "I really love it, great " : "Terrible, I hate it ") + i;
              // acks=all and the producer's own retries carry a send across the broker's restart
              producer
                  .send(
                      new ProducerRecord<>(
                          TOPIC,
                          conversation.getBytes(StandardCharsets.UTF_8),
                          FeedFixture.textEvent(
                              "item-" + i, conversation, T0.plusMillis(100L * i), text)))
                  .get();
              sent.incrementAndGet();
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  static void closers(KafkaProducer<byte[], byte[]> producer) throws Exception {
    FeedsSavepointCompatibilityITCase.closers(producer);
  }
}
