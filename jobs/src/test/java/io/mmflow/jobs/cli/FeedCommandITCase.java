package io.mmflow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mmflow.connectors.embedded.EmbeddedKafkaBroker;
import io.mmflow.connectors.embedded.LoopbackS3;
import io.mmflow.connectors.kafka.FeedEvents;
import io.mmflow.connectors.kafka.FeedRecord;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.serde.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

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

  /** With --s3-bucket, images and audio are references to objects the command uploaded. */
  @Test
  void referencesObjectsItUploads() throws Exception {
    try (LoopbackS3 loopback = LoopbackS3.start();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        S3Client s3 = loopback.client()) {
      String endpoint = loopback.endpoint().toString();
      StringWriter out = new StringWriter();
      int code =
          MmflowCli.execute(
              new PrintWriter(out, true),
              new PrintWriter(new StringWriter(), true),
              "feed",
              "--rate",
              "10",
              "--duration",
              "1",
              "--topic",
              "refs",
              "--mix",
              "text=0,image=0.5,audio=0.5",
              "--s3-bucket",
              "media",
              "--bootstrap-servers",
              broker.bootstrapServers(),
              "-D",
              "mmflow.s3.endpoint=" + endpoint,
              "-D",
              "mmflow.s3.path-style-access=true");
      assertThat(code).as(out.toString()).isZero();
      assertThat(out.toString()).contains("objects to s3://media/synthetic-feed/");

      int references = 0;
      for (ConsumerRecord<byte[], byte[]> r : consume(broker, "refs", 10)) {
        for (JsonNode part : Json.mapper().readTree(r.value()).get("parts")) {
          if (part.has("uri")) {
            references++;
            String key = part.get("uri").asText().substring("s3://media/".length());
            long size = s3.headObject(b -> b.bucket("media").key(key)).contentLength();
            assertThat(size).isEqualTo(part.get("size_bytes").asLong());
          }
        }
      }
      assertThat(references).isPositive();
    }
  }

  static Comparator<String> byNumber() {
    return Comparator.comparingInt(s -> Integer.parseInt(s.substring("item-".length())));
  }

  static List<ConsumerRecord<byte[], byte[]>> consume(
      EmbeddedKafkaBroker broker, String topic, int count) {
    return broker.read(topic, count, Duration.ofSeconds(30));
  }
}
