package io.mmflow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.connectors.kafka.EmbeddedKafkaBroker;
import io.mmflow.connectors.kafka.FeedEvents;
import io.mmflow.connectors.kafka.FeedRecord;
import io.mmflow.core.model.MediaItem;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/** {@code mmflow feed} against a real (embedded) broker: the events arrive and parse. */
class FeedCommandITCase {
  @Test
  void writesParsableEventsAtTheRate() {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      Instant before = Instant.now();
      int code =
          MmflowCli.execute(
              new PrintWriter(out, true),
              new PrintWriter(err, true),
              "feed",
              "--rate",
              "20",
              "--duration",
              "1",
              "--topic",
              "load",
              "--mix",
              "text=1,image=0.5,audio=0.25",
              "--seed",
              "7",
              "--corpus",
              "../datasets/sentiment",
              "-D",
              "mmflow.kafka.bootstrap-servers=" + broker.bootstrapServers());
      assertThat(code).as(out + "\n" + err).isZero();
      List<String> lines = out.toString().lines().toList();
      assertThat(lines.get(0))
          .startsWith("feed: 20 events/s for 1 s to topic load at " + broker.bootstrapServers())
          .endsWith("text from sentiment corpus ../datasets/sentiment");
      assertThat(lines.get(lines.size() - 1))
          .matches("RESULT feed=kafka sent=20 rate=[0-9.]+ errors=0");

      List<ConsumerRecord<byte[], byte[]>> records = consume(broker, "load", 20);
      assertThat(records).hasSize(20);
      List<MediaItem> items = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : records) {
        FeedEvents.Result parsed =
            FeedEvents.parse(
                new FeedRecord(r.topic(), r.partition(), r.offset(), r.timestamp(), r.value()),
                8 << 20);
        assertThat(parsed.ok()).as(String.valueOf(parsed.deadLetter())).isTrue();
        for (MediaItem item : parsed.items()) {
          assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(item.correlationId());
          assertThat(item.eventTime()).isBetween(before, Instant.now());
          assertThat(item.hasContent()).isTrue();
        }
        items.addAll(parsed.items());
      }
      assertThat(items.stream().map(MediaItem::itemId).distinct().sorted(byNumber()))
          .containsExactlyElementsOf(
              java.util.stream.IntStream.range(0, 20).mapToObj(i -> "item-" + i).toList());
      assertThat(items)
          .extracting(MediaItem::mediaType)
          .contains("text/plain", "image/png", "audio/vnd.wave");
    }
  }

  static Comparator<String> byNumber() {
    return Comparator.comparingInt(s -> Integer.parseInt(s.substring("item-".length())));
  }

  static List<ConsumerRecord<byte[], byte[]>> consume(
      EmbeddedKafkaBroker broker, String topic, int count) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "check",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.currentTimeMillis() + 30_000;
      while (out.size() < count && System.currentTimeMillis() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }
}
