package io.mmflow.jobs.feeds;

import static io.mmflow.jobs.feeds.FeedFixture.T0;
import static io.mmflow.jobs.feeds.FeedFixture.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.connectors.embedded.EmbeddedKafkaBroker;
import io.mmflow.connectors.embedded.EmbeddedPostgresServer;
import io.mmflow.connectors.sink.iceberg.IcebergTables;
import io.mmflow.jobs.runtime.ServingDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.io.file.PathUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Savepoints of the feeds job made by earlier builds, kept in {@link #FIXTURES}, restore into
 * today's feeds job: its Kafka offsets and its open fusion windows (the results of {@value #BEFORE}
 * events, held in state by mmflow's versioned serializers) come back, the job goes on with the
 * events after them, and every conversation's fused view holds all its items, those from the
 * savepoint and those read after. A change that breaks restoring an older savepoint (a state
 * serializer, an operator's uid, a state's type) fails here; keep this fixture, and add one for
 * each release whose state differs.
 *
 * <p>The fixture was written by {@link #writeFixture} ({@code mvn -pl jobs test
 * -Dtest=FeedsSavepointCompatibilityITCase -Dmmflow.fixtures.write=true}): the same {@value
 * #BEFORE} events through the feeds job (PostgreSQL on, Iceberg off so that no sink's committables
 * name files of that run), all of them written, then stop with a savepoint, not drained.
 */
class FeedsSavepointCompatibilityITCase {
  static final Path REPO = Path.of(System.getProperty("mmflow.repo.root", ".."));

  /**
   * Each fixture, oldest first: 0.1.0 of 2026-12-07 (commit 2ff806f: fusion tallies as Smile), and
   * the same version after the fusion state got its own serializer (twentieth session:
   * FusionTallySerializer). {@link #writeFixture} writes the newest.
   */
  static final List<String> FIXTURES =
      List.of(
          "jobs/src/test/resources/savepoints/feeds-0.1.0",
          "jobs/src/test/resources/savepoints/feeds-0.1.0-fusion-tally");

  static final String TOPIC = "feed";
  static final int BEFORE = 301;
  static final int AFTER = 149;
  static final int PER_CONVERSATION = 3;

  @ParameterizedTest
  @FieldSource("FIXTURES")
  void aSavepointOfAnEarlierBuildRestoresWithItsOffsetsAndOpenWindows(
      String fixture, @TempDir Path dir) throws Exception {
    Path savepoint = REPO.resolve(fixture);
    assertThat(savepoint.resolve("_metadata")).exists();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(null, 0);
        KafkaProducer<byte[], byte[]> producer = FeedFixture.producer(broker)) {
      broker.createTopic(TOPIC, 2);
      // the same events in the same order: the same partitions and offsets as when it was made
      send(producer, 0, BEFORE + AFTER);
      closers(producer);
      Configuration config =
          config(
              dir,
              broker,
              postgres,
              Map.of(StateRecoveryOptions.SAVEPOINT_PATH.key(), copy(savepoint, dir)));
      String url = postgres.jdbcUrl();
      int events = BEFORE + AFTER;
      int conversations = (events + PER_CONVERSATION - 1) / PER_CONVERSATION;
      try (ServingDatabase db = ServingDatabase.open(config)) {
        StreamExecutionEnvironment env = FeedFixture.environment(config, db.connection());
        FeedsJob.build(env, config, db.connection(), FeedsJob.Taps.NONE);
        JobClient job = env.executeAsync("feeds-savepoint-0.1.0");
        try {
          FeedFixture.await(
              "the fused views of every conversation",
              Duration.ofMinutes(3),
              () ->
                  queryLong(url, "SELECT count(*) FROM fused_results") >= conversations
                      && FeedFixture.icebergRows(config, IcebergTables.fusedTable(config)).size()
                          >= conversations);
          Thread.sleep(1_000); // nothing more may come
        } finally {
          job.cancel().get();
        }
      }
      // the offsets came back: only the events after the savepoint were read (and the closers)
      assertThat(queryLong(url, "SELECT count(*) FROM results WHERE item_id LIKE 'item-%'"))
          .isEqualTo(AFTER);
      assertThat(
              queryLong(
                  url,
                  "SELECT min(substr(item_id, 6)::int) FROM results"
                      + " WHERE item_id LIKE 'item-%'"))
          .isEqualTo(BEFORE);
      // the windows came back: each conversation's view holds its items from before and after
      assertThat(queryLong(url, "SELECT count(*) FROM fused_results")).isEqualTo(conversations);
      assertThat(queryLong(url, "SELECT sum(result_count) FROM fused_results")).isEqualTo(events);
      assertThat(
              queryLong(
                  url,
                  "SELECT result_count FROM fused_results WHERE correlation_id = 'conv-"
                      + BEFORE / PER_CONVERSATION
                      + "'"))
          .as("the conversation the savepoint cut in two")
          .isEqualTo(PER_CONVERSATION);
      assertThat(queryLong(url, "SELECT count(*) FROM dead_letters")).isZero();
      assertThat(FeedFixture.icebergRows(config, IcebergTables.fusedTable(config)))
          .hasSize(conversations);
    }
  }

  /** Writes the fixture: run only to make a new one (see the class comment). */
  @Test
  @EnabledIfSystemProperty(named = "mmflow.fixtures.write", matches = "true")
  void writeFixture(@TempDir Path dir) throws Exception {
    Path target = REPO.resolve(FIXTURES.get(FIXTURES.size() - 1));
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(null, 0);
        KafkaProducer<byte[], byte[]> producer = FeedFixture.producer(broker)) {
      broker.createTopic(TOPIC, 2);
      send(producer, 0, BEFORE);
      Configuration config =
          config(dir, broker, postgres, Map.of("mmflow.iceberg.enabled", "false"));
      try (ServingDatabase db = ServingDatabase.open(config)) {
        StreamExecutionEnvironment env = FeedFixture.environment(config, db.connection());
        FeedsJob.build(env, config, db.connection(), FeedsJob.Taps.NONE);
        JobClient job = env.executeAsync("feeds-savepoint-fixture");
        FeedFixture.await(
            "every event's result",
            Duration.ofMinutes(3),
            () -> queryLong(postgres.jdbcUrl(), "SELECT count(*) FROM results") == BEFORE);
        String made =
            job.stopWithSavepoint(
                    false, dir.resolve("sp").toUri().toString(), SavepointFormatType.CANONICAL)
                .get();
        if (Files.exists(target)) {
          PathUtils.deleteDirectory(target);
        }
        Files.createDirectories(target);
        PathUtils.copyDirectory(Path.of(java.net.URI.create(made)), target);
      }
    }
  }

  static Configuration config(
      Path dir,
      EmbeddedKafkaBroker broker,
      EmbeddedPostgresServer postgres,
      Map<String, String> extra) {
    Map<String, String> keys = new java.util.HashMap<>(extra);
    keys.put("mmflow.runtime.checkpoint-interval", "500 ms");
    // event times are in order: the windows stay open until the closers an hour later
    keys.put("mmflow.fusion.out-of-orderness", "1 h");
    return FeedFixture.config(dir, broker, postgres, TOPIC, keys);
  }

  /** Events {@code from} (inclusive) to {@code to}, three to a conversation, keyed by it. */
  static void send(KafkaProducer<byte[], byte[]> producer, int from, int to) throws Exception {
    List<String> keys = new ArrayList<>();
    List<byte[]> events = new ArrayList<>();
    for (int i = from; i < to; i++) {
      String conversation = "conv-" + i / PER_CONVERSATION;
      keys.add(conversation);
      String text = (i % 2 == 0 ? "I really love it, great " : "Terrible, I hate it ") + i;
      events.add(FeedFixture.textEvent("item-" + i, conversation, T0.plusMillis(100L * i), text));
    }
    FeedFixture.send(producer, TOPIC, keys, events);
  }

  /** An event three hours later on each partition: the watermark passes every window. */
  static void closers(KafkaProducer<byte[], byte[]> producer) throws Exception {
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
  }

  /** A copy of the fixture (a restore must not write next to the sources). */
  static String copy(Path savepoint, Path dir) throws Exception {
    Path copy = dir.resolve("savepoint");
    PathUtils.copyDirectory(savepoint, copy);
    try (Stream<Path> files = Files.list(copy)) {
      assertThat(files.count()).isPositive();
    }
    return copy.toUri().toString();
  }
}
