package io.mmflow.jobs.feeds;

import static io.mmflow.jobs.feeds.FeedFixture.T0;
import static io.mmflow.jobs.feeds.FeedFixture.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.connectors.embedded.EmbeddedKafkaBroker;
import io.mmflow.connectors.embedded.EmbeddedPostgresServer;
import io.mmflow.connectors.sink.iceberg.IcebergTables;
import io.mmflow.core.config.MmflowConfig;
import io.mmflow.jobs.deploy.StandaloneFlinkCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.io.file.PathUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feeds job operated as in production, on a real multi-process standalone cluster (a JobManager
 * and TaskManagers in their own JVMs, the shaded job jar submitted with {@code flink run -d}) while
 * events keep arriving from a real Kafka broker:
 *
 * <ol>
 *   <li>the TaskManager is killed with SIGKILL (a lost node) and a new one started: the job
 *       restarts from its last checkpoint;
 *   <li>the JobManager is killed with SIGKILL and a new one started: with high availability on
 *       ZooKeeper (Flink's own launcher) and files, it takes the job back from its last checkpoint;
 *   <li>the job is stopped with a savepoint and submitted again from it with a changed
 *       configuration: a new version of the sentiment model (a registry file on the TaskManager);
 * </ol>
 *
 * <p>Afterwards every event has exactly one result in PostgreSQL and in Iceberg (counts and key
 * checksums against the input; results before the upgrade carry the old model version, those after
 * the new one, none both), every conversation exactly one fused view holding each of its items once
 * (the fusion windows stayed open across the kill and the savepoint: their state was restored both
 * times), no dead letter and nothing late. The recovery times are printed ({@code RECOVERY ...})
 * for docs/operations.md.
 */
class FeedsClusterDeploymentITCase {
  static final Path REPO = Path.of(System.getProperty("mmflow.repo.root", ".."));
  static final String TOPIC = "feed";
  static final int PER_SECOND = 80;
  static final int PER_CONVERSATION = 3;

  /** At most this many events; the producer stops 5 s after the upgraded job runs. */
  static final int MAX_EVENTS = 40_000;

  @Test
  void aKilledTaskManagerAndASavepointUpgradeLoseAndDuplicateNothing(@TempDir Path dir)
      throws Exception {
    Path jar = Path.of(System.getProperty("mmflow.job.jar"));
    Path registryV2 = sentimentModelV2(dir.resolve("models-v2"));
    Path warehouse = dir.resolve("warehouse");

    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(null, 0);
        KafkaProducer<byte[], byte[]> producer = FeedFixture.producer(broker);
        StandaloneFlinkCluster cluster =
            StandaloneFlinkCluster.start(
                dir.resolve("flink"),
                Path.of(System.getProperty("mmflow.runner.classpath")),
                true)) {
      broker.createTopic(TOPIC, 2);
      String url = postgres.jdbcUrl();
      List<String> args =
          List.of(
              "-Dmmflow.kafka.bootstrap-servers=" + broker.bootstrapServers(),
              "-Dmmflow.kafka.topic=" + TOPIC,
              "-Dmmflow.kafka.starting-offsets=EARLIEST",
              "-Dmmflow.postgres.url=" + url,
              "-Dmmflow.iceberg.warehouse=" + warehouse.toUri(),
              "-Dmmflow.runtime.parallelism=2",
              "-Dmmflow.runtime.checkpoint-interval=1 s",
              // event times are in order: nothing may be late, whatever order a restart replays in
              "-Dmmflow.fusion.out-of-orderness=1 h",
              "-Drestart-strategy.type=fixed-delay",
              "-Drestart-strategy.fixed-delay.attempts=20",
              "-Drestart-strategy.fixed-delay.delay=1 s");

      // events keep arriving, 80 a second, through the kill and the upgrade
      AtomicInteger sent = new AtomicInteger();
      AtomicBoolean stop = new AtomicBoolean();
      CompletableFuture<Void> producing =
          CompletableFuture.runAsync(
              () -> {
                try {
                  long start = System.nanoTime();
                  for (int i = 0; i < MAX_EVENTS && !stop.get(); i++) {
                    long due = start + i * 1_000_000_000L / PER_SECOND;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    String conversation = "conv-" + i / PER_CONVERSATION;
                    String text =
                        (i % 2 == 0 ? "I really love it, great " : "Terrible, I hate it ") + i;
                    producer.send(
                        new ProducerRecord<>(
                            TOPIC,
                            conversation.getBytes(StandardCharsets.UTF_8),
                            FeedFixture.textEvent(
                                "item-" + i, conversation, T0.plusMillis(100L * i), text)));
                    sent.incrementAndGet();
                  }
                  producer.flush();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new IllegalStateException(e);
                }
              });

      String job =
          cluster.flinkRunDetached(
              jar, "io.mmflow.jobs.feeds.FeedsJob", null, args, Duration.ofMinutes(3));
      FeedFixture.await(
          "results and two checkpoints before the kill",
          Duration.ofMinutes(3),
          () ->
              queryLong(url, "SELECT count(*) FROM results") >= 400
                  && cluster.completedCheckpoints(job) >= 2);

      // 1. a TaskManager lost: SIGKILL, and its replacement started
      long killed = System.nanoTime();
      cluster.killTaskManager();
      cluster.startTaskManager();
      awaitRunning(cluster, job, "the job running again after the TaskManager was killed", 1);
      long running = System.nanoTime();
      long before = queryLong(url, "SELECT count(*) FROM results");
      FeedFixture.await(
          "results written again after the restart",
          Duration.ofMinutes(2),
          () -> queryLong(url, "SELECT count(*) FROM results") > before);
      long writing = System.nanoTime();

      // 2. the JobManager lost: SIGKILL, and a new one started; high availability (ZooKeeper,
      // its data in files) gives it the running job back, from the last checkpoint
      long jobManagerKilled = System.nanoTime();
      cluster.restartJobManager();
      awaitRunning(cluster, job, "the job running again under a new JobManager", 0);
      long jobManagerRunning = System.nanoTime();
      long beforeJobManager = queryLong(url, "SELECT count(*) FROM results");
      FeedFixture.await(
          "results written again under the new JobManager",
          Duration.ofMinutes(2),
          () -> queryLong(url, "SELECT count(*) FROM results") > beforeJobManager);
      long jobManagerWriting = System.nanoTime();

      // 3. an upgrade: stop with a savepoint, submit again from it with a new model version
      FeedFixture.await(
          "a checkpoint after the restart",
          Duration.ofMinutes(1),
          () -> cluster.completedCheckpoints(job) >= 1);
      long stopping = System.nanoTime();
      String savepoint = cluster.stopWithSavepoint(job, Duration.ofMinutes(2));
      long sentAtStop = sent.get();
      List<String> upgraded = new ArrayList<>(args);
      upgraded.add("-Dmmflow.models.registry=" + registryV2);
      String job2 =
          cluster.flinkRunDetached(
              jar, "io.mmflow.jobs.feeds.FeedsJob", savepoint, upgraded, Duration.ofMinutes(3));
      awaitRunning(cluster, job2, "the upgraded job running", 0);
      long upgradedRunning = System.nanoTime();
      long sentAtRunning = sent.get();

      Thread.sleep(5_000);
      stop.set(true);
      producing.get(1, java.util.concurrent.TimeUnit.MINUTES);
      int events = sent.get();
      int conversations = (events + PER_CONVERSATION - 1) / PER_CONVERSATION;
      long itemChecksum = 0;
      for (int i = 0; i < events; i++) {
        itemChecksum += FeedsFailureITCase.crc("item-" + i);
      }
      // an hour later on both partitions: the watermark passes every conversation's window
      for (int partition = 0; partition < 2; partition++) {
        String closer = "closer-" + partition;
        producer
            .send(
                new ProducerRecord<>(
                    TOPIC,
                    partition,
                    closer.getBytes(StandardCharsets.UTF_8),
                    FeedFixture.textEvent(closer, closer, T0.plusSeconds(3 * 3600), "Fine.")))
            .get();
      }
      Configuration config =
          MmflowConfig.load(
              Map.of(),
              Map.of(
                  "mmflow.iceberg.warehouse",
                  warehouse.toUri().toString(),
                  "mmflow.postgres.url",
                  url));
      FeedFixture.await(
          "every event's result and every conversation's fused view, in both stores",
          Duration.ofMinutes(4),
          () ->
              queryLong(url, "SELECT count(*) FROM results WHERE item_id LIKE 'item-%'") == events
                  && queryLong(url, "SELECT count(*) FROM fused_results") >= conversations
                  && FeedFixture.icebergRows(config, IcebergTables.resultsTable(config)).size()
                      == events + 2);

      System.out.printf(
          "RECOVERY tm_kill_to_running_s=%.1f tm_kill_to_results_s=%.1f"
              + " jm_kill_to_running_s=%.1f jm_kill_to_results_s=%.1f"
              + " savepoint_stop_to_running_s=%.1f events=%d events_sent_during_upgrade=%d%n",
          (running - killed) / 1e9,
          (writing - killed) / 1e9,
          (jobManagerRunning - jobManagerKilled) / 1e9,
          (jobManagerWriting - jobManagerKilled) / 1e9,
          (upgradedRunning - stopping) / 1e9,
          events,
          sentAtRunning - sentAtStop);

      // exactly one result per event in PostgreSQL: none lost, none twice, one model version each
      String items = "FROM results WHERE item_id LIKE 'item-%'";
      assertThat(queryLong(url, "SELECT count(*) " + items)).isEqualTo(events);
      assertThat(queryLong(url, "SELECT count(DISTINCT item_id) " + items)).isEqualTo(events);
      assertThat(FeedsFailureITCase.checksum(FeedFixture.query(url, "SELECT item_id " + items)))
          .isEqualTo(itemChecksum);
      assertThat(queryLong(url, "SELECT count(*) " + items + " AND model_version = 'nb-lex-1'"))
          .as("results before the upgrade")
          .isPositive();
      assertThat(queryLong(url, "SELECT count(*) " + items + " AND model_version = 'nb-lex-2'"))
          .as("results after the upgrade")
          .isPositive();
      assertThat(queryLong(url, "SELECT count(*) FROM dead_letters")).isZero();
      assertThat(queryLong(url, "SELECT count(*) FROM late_results")).isZero();
      // one fused view per conversation, each of its items once
      assertThat(queryLong(url, "SELECT count(*) FROM fused_results")).isEqualTo(conversations);
      assertThat(queryLong(url, "SELECT count(DISTINCT correlation_id) FROM fused_results"))
          .isEqualTo(conversations);
      assertThat(queryLong(url, "SELECT sum(result_count) FROM fused_results")).isEqualTo(events);

      // and in Iceberg: the same rows, committed exactly once across the kill and the upgrade
      List<Record> rows = FeedFixture.icebergRows(config, IcebergTables.resultsTable(config));
      List<Record> eventRows =
          rows.stream().filter(r -> ((String) r.getField("item_id")).startsWith("item-")).toList();
      assertThat(eventRows).hasSize(events);
      assertThat(FeedsFailureITCase.checksum(eventRows, "item_id")).isEqualTo(itemChecksum);
      assertThat(FeedFixture.icebergRows(config, IcebergTables.fusedTable(config)))
          .hasSize(conversations);
    }
  }

  /**
   * Waits until every task of {@code job} runs after at least {@code restarts} restarts; on a
   * timeout, says why with the job's exceptions.
   */
  static void awaitRunning(StandaloneFlinkCluster cluster, String job, String what, int restarts)
      throws Exception {
    try {
      FeedFixture.await(
          what,
          Duration.ofMinutes(3),
          () -> {
            StandaloneFlinkCluster.JobState s = cluster.jobState(job);
            return s.restarts() >= restarts && "RUNNING".equals(s.state()) && s.allTasksRunning();
          });
    } catch (AssertionError e) {
      String exceptions = cluster.rest("/jobs/" + job + "/exceptions?maxExceptions=3");
      throw new AssertionError(
          e.getMessage()
              + ": "
              + cluster.jobState(job)
              + "\n"
              + exceptions.substring(0, Math.min(6000, exceptions.length())),
          e);
    }
  }

  /**
   * A copy of the default model registry whose sentiment model has a new version ({@code nb-lex-2};
   * the same ONNX file): what an operator deploys when a model changes.
   */
  static Path sentimentModelV2(Path target) throws Exception {
    PathUtils.copyDirectory(REPO.resolve("model-udfs/src/main/resources/models"), target);
    Path registry = target.resolve("models.yaml");
    String yaml = Files.readString(registry);
    assertThat(yaml).contains("version: nb-lex-1");
    Files.writeString(registry, yaml.replace("version: nb-lex-1", "version: nb-lex-2"));
    return registry;
  }
}
