package io.mmflow.connectors.kafka;

import io.mmflow.core.config.KafkaOptions;
import io.mmflow.core.config.KafkaOptions.StartingOffsets;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The Flink {@link KafkaSource} of feed events, configured from {@link KafkaOptions}. It emits raw
 * {@link FeedRecord}s; {@link ParseFeedEvents} turns them into media items and dead letters.
 */
public final class FeedSource {
  private FeedSource() {}

  /** The source, unbounded. */
  public static KafkaSource<FeedRecord> create(Configuration config) {
    return builder(config).build();
  }

  /**
   * A builder with servers, topic, group, starting offsets, deserializer and security ({@link
   * KafkaSecurity}) set, for callers that add more (e.g. {@code setBounded} in tests and
   * backfills).
   *
   * @throws MmflowException {@link ErrorCode#CONFIGURATION_INVALID} without bootstrap servers
   */
  public static KafkaSourceBuilder<FeedRecord> builder(Configuration config) {
    String servers = config.get(KafkaOptions.BOOTSTRAP_SERVERS);
    if (servers == null || servers.isBlank()) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          KafkaOptions.BOOTSTRAP_SERVERS.key() + " is required to read the Kafka feed");
    }
    String groupId = config.get(KafkaOptions.GROUP_ID);
    KafkaSourceBuilder<FeedRecord> builder =
        KafkaSource.<FeedRecord>builder()
            .setBootstrapServers(servers)
            .setTopics(config.get(KafkaOptions.TOPIC))
            .setGroupId(groupId)
            .setClientIdPrefix(groupId)
            .setStartingOffsets(startingOffsets(config.get(KafkaOptions.STARTING_OFFSETS)))
            .setDeserializer(new FeedRecordDeserializer());
    return builder.setProperties(KafkaSecurity.asProperties(config));
  }

  /** The offsets initializer of a {@link StartingOffsets} setting. */
  @SuppressWarnings("deprecation") // the connector takes only the deprecated reset strategy
  public static OffsetsInitializer startingOffsets(StartingOffsets startingOffsets) {
    return switch (startingOffsets) {
      case EARLIEST -> OffsetsInitializer.earliest();
      case LATEST -> OffsetsInitializer.latest();
      case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
    };
  }

  /** Keeps each record's value bytes with its topic, partition, offset and timestamp. */
  public static final class FeedRecordDeserializer
      implements KafkaRecordDeserializationSchema<FeedRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<FeedRecord> out) {
      out.collect(
          new FeedRecord(
              record.topic(),
              record.partition(),
              record.offset(),
              record.timestamp(),
              record.value()));
    }

    @Override
    public TypeInformation<FeedRecord> getProducedType() {
      return TypeInformation.of(FeedRecord.class);
    }
  }
}
