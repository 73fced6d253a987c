package io.mmflow.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.connectors.embedded.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The paced producer against a real broker: counts, keys, spacing, and failures counted. */
class FeedProducerITCase {
  static EmbeddedKafkaBroker broker;

  @BeforeAll
  static void start() {
    broker = EmbeddedKafkaBroker.start();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void sendsAtTheRateSpreadOverTheDuration() throws Exception {
    broker.createTopic("paced", 2);
    AtomicInteger n = new AtomicInteger();
    FeedProducer.Report report;
    try (FeedProducer producer = new FeedProducer(broker.bootstrapServers(), "paced", Map.of())) {
      report = producer.run(100, Duration.ofMillis(1500), now -> event(n.getAndIncrement(), now));
    }
    assertThat(report.attempted()).isEqualTo(150);
    assertThat(report.sent()).isEqualTo(150);
    assertThat(report.errors()).isZero();
    assertThat(report.firstError()).isNull();
    assertThat(report.elapsed()).isGreaterThan(Duration.ofMillis(1400));
    assertThat(report.rate()).isBetween(50.0, 110.0);

    List<ConsumerRecord<byte[], byte[]>> records = consume("paced", 150);
    assertThat(records).hasSize(150);
    List<Long> times = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      FeedEvents.Result parsed =
          FeedEvents.parse(
              new FeedRecord(r.topic(), r.partition(), r.offset(), r.timestamp(), r.value()),
              1 << 20);
      assertThat(parsed.ok()).as(parsed.toString()).isTrue();
      assertThat(new String(r.key(), StandardCharsets.UTF_8))
          .isEqualTo(parsed.items().get(0).correlationId());
      times.add(parsed.items().get(0).eventTime().toEpochMilli());
    }
    // paced, not one burst: the events' send times cover the duration, and no 100 ms holds
    // more than a third of them (a burst per second would put all 100 of a second in one)
    times.sort(null);
    assertThat(times.get(times.size() - 1) - times.get(0)).isGreaterThan(1200);
    for (long t : times) {
      long inWindow = times.stream().filter(u -> u >= t && u < t + 100).count();
      assertThat(inWindow).isLessThan(50);
    }
  }

  @Test
  void countsFailuresInsteadOfThrowing() {
    broker.createTopic("too-large", 1);
    AtomicInteger n = new AtomicInteger();
    FeedProducer.Report report;
    try (FeedProducer producer =
        new FeedProducer(
            broker.bootstrapServers(),
            "too-large",
            Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 200))) {
      report = producer.run(20, Duration.ofMillis(500), now -> event(n.getAndIncrement(), now));
    }
    assertThat(report.attempted()).isEqualTo(10);
    assertThat(report.sent()).isZero();
    assertThat(report.errors()).isEqualTo(10);
    assertThat(report.firstError()).startsWith("RecordTooLargeException");
  }

  static FeedProducer.Message event(int i, Instant now) {
    String conversation = "conversation-" + (i / 3);
    String json =
        "{\"item_id\": \"item-%d\", \"correlation_id\": \"%s\", \"event_time\": \"%s\", \"parts\":"
            + " [{\"text\": \"event %d with some padding to be over two hundred bytes: %s\"}]}";
    return new FeedProducer.Message(
        conversation.getBytes(StandardCharsets.UTF_8),
        json.formatted(i, conversation, now, i, "x".repeat(120)).getBytes(StandardCharsets.UTF_8));
  }

  static List<ConsumerRecord<byte[], byte[]>> consume(String topic, int count) {
    return broker.read(topic, count, Duration.ofSeconds(30));
  }
}
