package io.mmflow.core.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.MediaItem;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class JsonTypeSerializerTest {
  @Test
  void flinkPicksTheJsonSerializerForAnnotatedRecords() throws Exception {
    TypeInformation<MediaItem> info = TypeInformation.of(MediaItem.class);
    assertThat(info).isInstanceOf(JsonTypeInfo.class);

    TypeSerializer<MediaItem> serializer = info.createSerializer(new SerializerConfigImpl());
    MediaItem item =
        new MediaItem(
            "a",
            "1",
            "c",
            Instant.EPOCH,
            "s3://b/k",
            "image/png",
            3,
            "h",
            new byte[] {1, 2, 3},
            null,
            Map.of("etag", "x"));
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(item, out);
    serializer.serialize(item, out);
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    assertThat(serializer.deserialize(in)).isEqualTo(item);
    assertThat(serializer.deserialize(in)).isEqualTo(item);
  }

  @Test
  void snapshotRestoresACompatibleSerializer() throws Exception {
    JsonTypeSerializer<DeadLetter> serializer = new JsonTypeSerializer<>(DeadLetter.class);
    TypeSerializerSnapshot<DeadLetter> snapshot = serializer.snapshotConfiguration();
    DataOutputSerializer out = new DataOutputSerializer(64);
    snapshot.writeSnapshot(out);

    JsonTypeSerializer.Snapshot<DeadLetter> restored = new JsonTypeSerializer.Snapshot<>();
    restored.readSnapshot(
        snapshot.getCurrentVersion(),
        new DataInputDeserializer(out.getCopyOfBuffer()),
        getClass().getClassLoader());
    assertThat(restored.restoreSerializer()).isEqualTo(serializer);
    assertThat(
            serializer
                .snapshotConfiguration()
                .resolveSchemaCompatibility(restored)
                .isCompatibleAsIs())
        .isTrue();

    DeadLetter dl =
        new DeadLetter(
            "i",
            "0",
            null,
            "file:///x",
            "validate",
            ErrorCode.EMPTY_INPUT,
            null,
            false,
            null,
            0,
            null,
            Instant.EPOCH,
            null);
    DataOutputSerializer data = new DataOutputSerializer(64);
    serializer.serialize(dl, data);
    assertThat(
            restored
                .restoreSerializer()
                .deserialize(new DataInputDeserializer(data.getCopyOfBuffer())))
        .isEqualTo(dl);
  }

  @Test
  void writesBinaryJsonAndReadsTheTextJsonOfVersionOne() throws Exception {
    JsonTypeSerializer<MediaItem> serializer = new JsonTypeSerializer<>(MediaItem.class);
    MediaItem item =
        new MediaItem(
            "a",
            "1",
            "c",
            Instant.parse("2026-11-24T08:00:00.123456789Z"),
            "kafka://feed/0/7",
            "text/plain",
            2,
            "h",
            new byte[] {104, 105},
            "en",
            Map.of("kafka.offset", "7"));
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(item, out);
    byte[] written = out.getCopyOfBuffer();
    assertThat(new String(written, 4, 2, StandardCharsets.US_ASCII)).isEqualTo(":)"); // Smile
    assertThat(serializer.deserialize(new DataInputDeserializer(written))).isEqualTo(item);

    // what version 1 wrote: the length, then text JSON
    byte[] json = Json.writeBytes(item);
    DataOutputSerializer v1 = new DataOutputSerializer(64);
    v1.writeInt(json.length);
    v1.write(json);
    assertThat(serializer.deserialize(new DataInputDeserializer(v1.getCopyOfBuffer())))
        .isEqualTo(item);
    assertThat(written.length).isLessThan(v1.length());
  }
}
