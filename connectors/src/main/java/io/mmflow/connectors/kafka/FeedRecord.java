package io.mmflow.connectors.kafka;

import java.util.Arrays;
import java.util.Objects;

/**
 * One Kafka record of the feed as read, before parsing: the raw value bytes and where they came
 * from. Parsing happens downstream so that a malformed event can still become a dead letter that
 * keeps its original bytes.
 *
 * @param topic the topic
 * @param partition the partition
 * @param offset the offset in the partition
 * @param timestamp the record's Kafka timestamp, epoch milliseconds (-1 when it has none)
 * @param value the record's value bytes; null for a tombstone
 */
public record FeedRecord(String topic, int partition, long offset, long timestamp, byte[] value) {

  /** Where the record lives: {@code kafka://<topic>/<partition>/<offset>}. */
  public String sourceUri() {
    return "kafka://" + topic + "/" + partition + "/" + offset;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeedRecord r
        && partition == r.partition
        && offset == r.offset
        && timestamp == r.timestamp
        && Objects.equals(topic, r.topic)
        && Arrays.equals(value, r.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, partition, offset);
  }

  @Override
  public String toString() {
    return "FeedRecord[%s, %d bytes]".formatted(sourceUri(), value == null ? 0 : value.length);
  }
}
