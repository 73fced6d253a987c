package io.mmflow.jobs.feeds;

import static io.mmflow.jobs.feeds.FeedFixture.T0;
import static io.mmflow.jobs.feeds.FeedFixture.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.connectors.embedded.EmbeddedKafkaBroker;
import io.mmflow.connectors.embedded.EmbeddedPostgresServer;
import io.mmflow.connectors.sink.iceberg.IcebergTables;
import io.mmflow.jobs.runtime.ServingDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once under failures: 10,000 feed events through a real Kafka broker; the job is failed
 * deliberately four times at random points (an exception in an operator on the parts, then on the
 * results, each followed by a restart from the last checkpoint); afterwards Iceberg and Postgres
 * each hold exactly one result per item and one fused view per conversation: counts and key
 * checksums match the input, none duplicated, none lost.
 */
class FeedsFailureITCase {
  static final int ITEMS = 10_000;
  static final int PER_CONVERSATION = 3;
  static final int CONVERSATIONS = (ITEMS + PER_CONVERSATION - 1) / PER_CONVERSATION;

  /** Failures injected, across restarts (the MiniCluster runs in this JVM). */
  static final AtomicInteger INJECTED = new AtomicInteger();

  @RepeatedTest(2)
  void noResultIsLostOrDuplicatedAcrossRestarts(@TempDir Path dir) throws Exception {
    INJECTED.set(0);
    String topic = "feed";
    List<String> keys = new ArrayList<>();
    List<byte[]> events = new ArrayList<>();
    long itemChecksum = 0;
    long conversationChecksum = 0;
    for (int i = 0; i < ITEMS; i++) {
      String item = "item-" + i;
      String conversation = "conv-" + i / PER_CONVERSATION;
      keys.add(conversation);
      String text = (i % 2 == 0 ? "I really love it, great " : "Terrible, I hate it, awful ") + i;
      events.add(FeedFixture.textEvent(item, conversation, T0.plusMillis(10L * i), text));
      itemChecksum += crc(item);
      if (i % PER_CONVERSATION == 0) {
        conversationChecksum += crc(conversation);
      }
    }

    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(null, 0);
        KafkaProducer<byte[], byte[]> producer = FeedFixture.producer(broker)) {
      broker.createTopic(topic, 2);
      FeedFixture.send(producer, topic, keys, events);
      Configuration config = config(dir, broker, postgres, topic);

      long seed = System.nanoTime();
      Random random = new Random(seed);
      // attempts 0 and 2 fail on the parts, 1 and 3 on the results, each after a random number
      // (50..999) of records of that attempt's first subtask: at most ~8,000 of the 10,000 items
      // pass before the fourth failure, so all four happen
      FeedsJob.Taps taps =
          new FeedsJob.Taps(
              parts ->
                  parts
                      .map(new FailAt<>(0, 50 + random.nextInt(950), 2, 50 + random.nextInt(950)))
                      .returns(parts.getType())
                      .name("fail (parts)")
                      .uid("fail-parts"),
              results ->
                  results
                      .map(new FailAt<>(1, 50 + random.nextInt(950), 3, 50 + random.nextInt(950)))
                      .returns(results.getType())
                      .name("fail (results)")
                      .uid("fail-results"));
      try (ServingDatabase db = ServingDatabase.open(config)) {
        StreamExecutionEnvironment env = FeedFixture.environment(config, db.connection());
        FeedsJob.build(env, config, db.connection(), taps);
        env.execute("feeds-failures");
      }
      assertThat(INJECTED.get()).as("failures injected (seed %d)", seed).isEqualTo(4);

      String url = postgres.jdbcUrl();
      assertThat(queryLong(url, "SELECT count(*) FROM results")).isEqualTo(ITEMS);
      assertThat(queryLong(url, "SELECT count(DISTINCT item_id) FROM results")).isEqualTo(ITEMS);
      assertThat(queryLong(url, "SELECT count(*) FROM dead_letters")).isZero();
      assertThat(checksum(FeedFixture.query(url, "SELECT item_id FROM results")))
          .isEqualTo(itemChecksum);
      assertThat(queryLong(url, "SELECT count(*) FROM fused_results")).isEqualTo(CONVERSATIONS);
      assertThat(checksum(FeedFixture.query(url, "SELECT correlation_id FROM fused_results")))
          .isEqualTo(conversationChecksum);
      assertThat(
              queryLong(
                  url,
                  "SELECT count(*) FROM fused_results WHERE result_count <> "
                      + PER_CONVERSATION
                      + " AND correlation_id <> 'conv-"
                      + (CONVERSATIONS - 1)
                      + "'"))
          .as("every fused view holds each of its items once")
          .isZero();

      List<Record> results = FeedFixture.icebergRows(config, IcebergTables.resultsTable(config));
      assertThat(results).hasSize(ITEMS);
      assertThat(checksum(results, "item_id")).isEqualTo(itemChecksum);
      List<Record> fused = FeedFixture.icebergRows(config, IcebergTables.fusedTable(config));
      assertThat(fused).hasSize(CONVERSATIONS);
      assertThat(checksum(fused, "correlation_id")).isEqualTo(conversationChecksum);
      assertThat(FeedFixture.icebergRows(config, IcebergTables.deadLetterTable(config))).isEmpty();
    }
  }

  static Configuration config(
      Path dir, EmbeddedKafkaBroker broker, EmbeddedPostgresServer postgres, String topic) {
    return FeedFixture.config(
        dir,
        broker,
        postgres,
        topic,
        Map.of(
            "mmflow.kafka.stop-at-latest", "true",
            "mmflow.runtime.checkpoint-interval", "300 ms",
            // event times are in order: no result may be late, whatever order restarts replay in
            "mmflow.fusion.out-of-orderness", "1 h",
            "restart-strategy.type", "fixed-delay",
            "restart-strategy.fixed-delay.attempts", "10",
            "restart-strategy.fixed-delay.delay", "200 ms"));
  }

  static long crc(String s) {
    CRC32 crc = new CRC32();
    crc.update(s.getBytes(StandardCharsets.UTF_8));
    return crc.getValue();
  }

  static long checksum(List<List<String>> rows) {
    return rows.stream().mapToLong(r -> crc(r.get(0))).sum();
  }

  static long checksum(List<Record> rows, String field) {
    return rows.stream().mapToLong(r -> crc((String) r.getField(field))).sum();
  }

  /**
   * Passes records on, but in attempt {@code firstAttempt} (and {@code secondAttempt}) of the job
   * its first subtask throws after {@code firstAfter} (and {@code secondAfter}) records.
   */
  static final class FailAt<T> extends RichMapFunction<T, T> {
    private final int firstAttempt;
    private final int firstAfter;
    private final int secondAttempt;
    private final int secondAfter;
    private transient int failAfter;
    private transient int seen;

    FailAt(int firstAttempt, int firstAfter, int secondAttempt, int secondAfter) {
      this.firstAttempt = firstAttempt;
      this.firstAfter = firstAfter;
      this.secondAttempt = secondAttempt;
      this.secondAfter = secondAfter;
    }

    @Override
    public void open(OpenContext openContext) {
      var task = getRuntimeContext().getTaskInfo();
      int attempt = task.getAttemptNumber();
      failAfter =
          task.getIndexOfThisSubtask() != 0
              ? -1
              : attempt == firstAttempt ? firstAfter : attempt == secondAttempt ? secondAfter : -1;
    }

    @Override
    public T map(T value) {
      if (failAfter >= 0 && ++seen > failAfter) {
        failAfter = -1;
        INJECTED.incrementAndGet();
        throw new IllegalStateException("injected failure after " + seen + " records");
      }
      return value;
    }
  }
}
