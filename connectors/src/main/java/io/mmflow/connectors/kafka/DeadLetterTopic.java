package io.mmflow.connectors.kafka;

import io.mmflow.core.config.KafkaOptions;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.serde.Json;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/**
 * The optional Kafka topic of dead letters ({@code mmflow.kafka.dead-letter-topic}): each dead
 * letter as one JSON record keyed by its item id, with the original event bytes base64-encoded in
 * {@code payload}, so a fixed event can be replayed from it.
 */
public final class DeadLetterTopic {
  private DeadLetterTopic() {}

  /** The sink, or empty when no dead-letter topic is configured. */
  public static Optional<KafkaSink<DeadLetter>> sink(Configuration config) {
    String topic = config.get(KafkaOptions.DEAD_LETTER_TOPIC);
    if (topic == null || topic.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(
        KafkaSink.<DeadLetter>builder()
            .setBootstrapServers(config.get(KafkaOptions.BOOTSTRAP_SERVERS))
            .setRecordSerializer(
                KafkaRecordSerializationSchema.<DeadLetter>builder()
                    .setTopic(topic)
                    .setKeySerializationSchema(new ItemIdKey())
                    .setValueSerializationSchema(new JsonValue())
                    .build())
            .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
            .setKafkaProducerConfig(KafkaSecurity.asProperties(config))
            .build());
  }

  /** The record key: the item id, so an item's dead letters share a partition. */
  static final class ItemIdKey implements SerializationSchema<DeadLetter> {
    private static final long serialVersionUID = 1L;

    @Override
    public byte[] serialize(DeadLetter deadLetter) {
      return deadLetter.itemId().getBytes(StandardCharsets.UTF_8);
    }
  }

  /** The record value: the dead letter as JSON. */
  static final class JsonValue implements SerializationSchema<DeadLetter> {
    private static final long serialVersionUID = 1L;

    @Override
    public byte[] serialize(DeadLetter deadLetter) {
      return Json.writeBytes(deadLetter);
    }
  }
}
