package io.mmflow.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mmflow.connectors.embedded.EmbeddedKafkaBroker;
import io.mmflow.core.config.KafkaOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.DeadLetters;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.serde.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** Feed events through a real broker and a bounded KafkaSource on a MiniCluster. */
class FeedSourceITCase {
  private static final String TOPIC = "feed";
  private static final String PNG = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4});
  private static final String TEXT =
      "{\"item_id\": \"t1\", \"correlation_id\": \"conv-1\", \"event_time\":"
          + " \"2026-11-24T10:00:00Z\", \"parts\": [{\"part_id\": \"0\", \"modality\": \"text\","
          + " \"media_type\": \"text/plain\", \"text\": \"hello\"}]}";
  private static final String IMAGE =
      "{\"item_id\": \"img1\", \"correlation_id\": \"conv-1\", \"event_time\":"
          + " \"2026-11-24T10:00:01Z\", \"parts\": [{\"part_id\": \"1\", \"media_type\":"
          + " \"image/png\", \"data_base64\": \""
          + PNG
          + "\"}]}";
  private static final String S3_REF =
      "{\"item_id\": \"a1\", \"correlation_id\": \"conv-2\", \"event_time\":"
          + " \"2026-11-24T10:00:02Z\", \"parts\": [{\"part_id\": \"2\", \"media_type\":"
          + " \"audio/vnd.wave\", \"uri\": \"s3://bucket/key.wav\"}]}";
  private static final String MALFORMED = "{\"item_id\": \"m1\", \"parts\": [";
  private static final String OVERSIZE =
      "{\"item_id\": \"big1\", \"correlation_id\": \"conv-3\", \"event_time\":"
          + " \"2026-11-24T10:00:04Z\", \"parts\": [{\"part_id\": \"0\", \"text\": \""
          + "x".repeat(200)
          + "\"}]}";

  @Test
  void readsEventsAndDeadLettersMalformedOnes() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
      broker.createTopic(TOPIC, 1);
      produce(broker, List.of(TEXT, IMAGE, S3_REF, MALFORMED, OVERSIZE));

      Configuration config = new Configuration();
      config.set(KafkaOptions.BOOTSTRAP_SERVERS, broker.bootstrapServers());
      config.set(KafkaOptions.TOPIC, TOPIC);
      config.set(KafkaOptions.GROUP_ID, "it");
      config.set(KafkaOptions.STARTING_OFFSETS, KafkaOptions.StartingOffsets.EARLIEST);
      config.set(KafkaOptions.MAX_INLINE_BYTES, MemorySize.parse("100b"));
      config.set(KafkaOptions.DEAD_LETTER_TOPIC, "feed-dead-letters");

      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
      SingleOutputStreamOperator<MediaItem> items =
          env.fromSource(
                  FeedSource.builder(config).setBounded(OffsetsInitializer.latest()).build(),
                  WatermarkStrategy.noWatermarks(),
                  "feed")
              .process(new ParseFeedEvents(config.get(KafkaOptions.MAX_INLINE_BYTES).getBytes()));
      items.getSideOutput(DeadLetters.TAG).sinkTo(DeadLetterTopic.sink(config).orElseThrow());
      // one collect sink for both outputs: several would race the MiniCluster's shutdown
      EitherTypeInfo<MediaItem, DeadLetter> either =
          new EitherTypeInfo<>(
              TypeInformation.of(MediaItem.class), TypeInformation.of(DeadLetter.class));
      DataStream<Either<MediaItem, DeadLetter>> all =
          items
              .map(m -> Either.<MediaItem, DeadLetter>Left(m))
              .returns(either)
              .union(
                  items
                      .getSideOutput(DeadLetters.TAG)
                      .map(d -> Either.<MediaItem, DeadLetter>Right(d))
                      .returns(either));
      List<MediaItem> media = new ArrayList<>();
      List<DeadLetter> dead = new ArrayList<>();
      try (CloseableIterator<Either<MediaItem, DeadLetter>> it = all.executeAndCollect("feed-it")) {
        it.forEachRemaining(
            e -> {
              if (e.isLeft()) {
                media.add(e.left());
              } else {
                dead.add(e.right());
              }
            });
      }

      media.sort(Comparator.comparing(MediaItem::eventTime));
      assertThat(media).extracting(MediaItem::itemId).containsExactly("t1", "img1", "a1");
      assertThat(media).extracting(MediaItem::partId).containsExactly("0", "1", "2");
      assertThat(media)
          .extracting(MediaItem::correlationId)
          .containsExactly("conv-1", "conv-1", "conv-2");
      assertThat(media)
          .extracting(MediaItem::eventTime)
          .containsExactly(
              Instant.parse("2026-11-24T10:00:00Z"),
              Instant.parse("2026-11-24T10:00:01Z"),
              Instant.parse("2026-11-24T10:00:02Z"));
      assertThat(media)
          .extracting(MediaItem::mediaType)
          .containsExactly("text/plain", "image/png", "audio/vnd.wave");
      assertThat(media.get(0).content()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
      assertThat(media.get(1).content()).containsExactly(1, 2, 3, 4);
      assertThat(media.get(2).contentRef()).isEqualTo("s3://bucket/key.wav");
      assertThat(media)
          .extracting(MediaItem::sourceUri)
          .containsExactly("kafka://feed/0/0", "kafka://feed/0/1", "kafka://feed/0/2");

      dead.sort(Comparator.comparing(DeadLetter::sourceUri));
      assertThat(dead)
          .extracting(DeadLetter::code)
          .containsExactly(ErrorCode.MALFORMED_EVENT, ErrorCode.INPUT_TOO_LARGE);
      assertThat(dead)
          .extracting(DeadLetter::sourceUri)
          .containsExactly("kafka://feed/0/3", "kafka://feed/0/4");
      assertThat(dead.get(0).payload()).isEqualTo(MALFORMED.getBytes(StandardCharsets.UTF_8));
      assertThat(dead.get(1).payload()).isEqualTo(OVERSIZE.getBytes(StandardCharsets.UTF_8));
      assertThat(dead.get(1).itemId()).isEqualTo("big1");
      assertThat(dead.get(1).correlationId()).isEqualTo("conv-3");

      List<JsonNode> topic = consume(broker, "feed-dead-letters", 2);
      assertThat(topic)
          .extracting(n -> n.get("sourceUri").asText())
          .containsExactlyInAnyOrder("kafka://feed/0/3", "kafka://feed/0/4");
      assertThat(topic)
          .extracting(n -> Base64.getDecoder().decode(n.get("payload").asText()))
          .containsExactlyInAnyOrder(
              MALFORMED.getBytes(StandardCharsets.UTF_8),
              OVERSIZE.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static List<JsonNode> consume(EmbeddedKafkaBroker broker, String topic, int count)
      throws Exception {
    List<JsonNode> values = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : broker.read(topic, count, Duration.ofSeconds(30))) {
      values.add(Json.mapper().readTree(r.value()));
    }
    return values;
  }

  private static void produce(EmbeddedKafkaBroker broker, List<String> events) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (String event : events) {
        producer.send(new ProducerRecord<>(TOPIC, event.getBytes(StandardCharsets.UTF_8))).get();
      }
    }
  }
}
