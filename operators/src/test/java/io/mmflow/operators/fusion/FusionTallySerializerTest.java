package io.mmflow.operators.fusion;

import static io.mmflow.operators.fusion.FusionFixtures.failed;
import static io.mmflow.operators.fusion.FusionFixtures.sentiment;
import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.core.model.Modality;
import io.mmflow.core.serde.JsonTypeSerializer;
import io.mmflow.operators.fusion.FusionTally.ModalityTally;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class FusionTallySerializerTest {
  private static FusionTally sample() {
    return FusionTally.of(
        List.of(
            sentiment("c", Modality.TEXT, 0, 0.9, "positive=0.8", "negative=0.2"),
            sentiment("c", Modality.IMAGE, 10, null, "neutral=0.6", "positive=0.4"),
            sentiment("c", Modality.TEXT, 20, 0.7, "negative=0.7", "positive=0.3"),
            failed("c", Modality.AUDIO, 30)));
  }

  private static byte[] write(TypeSerializer<FusionTally> serializer, FusionTally... tallies)
      throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    for (FusionTally t : tallies) {
      serializer.serialize(t, out);
    }
    return out.getCopyOfBuffer();
  }

  @Test
  void theFlinkTypeOfTheTallyIsThisSerializer() {
    assertThat(TypeInformation.of(FusionTally.class).createSerializer(new SerializerConfigImpl()))
        .isInstanceOf(FusionTallySerializer.class);
  }

  @Test
  void tallyComesBackEqualOneAfterAnother() throws IOException {
    Map<String, Double> many = new HashMap<>();
    for (int i = 0; i < 300; i++) { // more labels than a byte counts
      many.put("label-" + i, i / 1000.0);
    }
    many.put("é".repeat(40_000), 0.5); // longer than writeUTF's 65,535 bytes
    many.put("nan", Double.NaN);
    FusionTally wide =
        new FusionTally(Map.of(Modality.OCR, new ModalityTally(many, 300, 12.5, 2)), 302);
    FusionTallySerializer serializer = new FusionTallySerializer();
    byte[] bytes = write(serializer, sample(), FusionTally.EMPTY, wide);

    DataInputDeserializer in = new DataInputDeserializer(bytes);
    assertThat(serializer.deserialize(in)).isEqualTo(sample());
    assertThat(serializer.deserialize(in)).isEqualTo(FusionTally.EMPTY);
    assertThat(serializer.deserialize(in)).isEqualTo(wide);
    assertThat(in.available()).isZero();

    // copy() moves one record without reading it
    DataOutputSerializer copied = new DataOutputSerializer(1024); // write(view, n) does not grow
    DataInputDeserializer again = new DataInputDeserializer(bytes);
    serializer.copy(again, copied);
    assertThat(serializer.deserialize(new DataInputDeserializer(copied.getCopyOfBuffer())))
        .isEqualTo(sample());
  }

  @Test
  void muchSmallerThanBinaryJson() throws IOException {
    byte[] compact = write(new FusionTallySerializer(), sample());
    byte[] json = write(new JsonTypeSerializer<>(FusionTally.class), sample());
    assertThat(compact.length).isLessThan(json.length);
  }

  @Test
  void stateWrittenAsJsonByEarlierVersionsIsMigrated() throws IOException {
    // what a checkpoint of an earlier version holds: the JSON serializer's snapshot and bytes
    JsonTypeSerializer<FusionTally> old = new JsonTypeSerializer<>(FusionTally.class);
    byte[] oldState = write(old, sample());
    TypeSerializerSnapshot<FusionTally> oldSnapshot = old.snapshotConfiguration();

    TypeSerializerSnapshot<FusionTally> now = new FusionTallySerializer().snapshotConfiguration();
    assertThat(now.resolveSchemaCompatibility(oldSnapshot).isCompatibleAfterMigration()).isTrue();
    // the state backend reads the old bytes with the old snapshot's serializer, writes them anew
    FusionTally restored =
        oldSnapshot.restoreSerializer().deserialize(new DataInputDeserializer(oldState));
    assertThat(restored).isEqualTo(sample());
    byte[] rewritten = write(new FusionTallySerializer(), restored);
    assertThat(new FusionTallySerializer().deserialize(new DataInputDeserializer(rewritten)))
        .isEqualTo(sample());

    assertThat(now.resolveSchemaCompatibility(now).isCompatibleAsIs()).isTrue();
    assertThat(
            now.resolveSchemaCompatibility(
                    castSnapshot(new JsonTypeSerializer<>(String.class).snapshotConfiguration()))
                .isIncompatible())
        .isTrue();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static TypeSerializerSnapshot<FusionTally> castSnapshot(TypeSerializerSnapshot s) {
    return s;
  }
}
