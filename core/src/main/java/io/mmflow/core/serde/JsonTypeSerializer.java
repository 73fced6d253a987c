package io.mmflow.core.serde;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializes immutable canonical records as length-prefixed binary JSON (Jackson's Smile, {@link
 * Json#binary()}). Records are immutable, so copies are the record itself. The mapping ignores
 * unknown fields on read, which keeps state and in-flight data readable when an optional field is
 * added. Reads text JSON too (what version 1 wrote; a Smile record starts with its {@code :)}
 * header, a JSON one with a brace), so checkpoints and savepoints of earlier versions restore.
 */
public final class JsonTypeSerializer<T> extends ImmutableRecordSerializer<T> {
  private static final long serialVersionUID = 1L;

  private final Class<T> type;
  private transient ObjectWriter writer;
  private transient ObjectReader reader;
  private transient ObjectReader jsonReader;

  public JsonTypeSerializer(Class<T> type) {
    this.type = requireNonNull(type, "type is null");
  }

  private ObjectWriter writer() {
    if (writer == null) {
      writer = Json.binary().writerFor(type);
    }
    return writer;
  }

  @Override
  public TypeSerializer<T> duplicate() {
    return this;
  }

  @Override
  public T createInstance() {
    return null;
  }

  @Override
  public void serialize(T record, DataOutputView target) throws IOException {
    byte[] bytes = writer().writeValueAsBytes(record);
    target.writeInt(bytes.length);
    target.write(bytes);
  }

  @Override
  public T deserialize(DataInputView source) throws IOException {
    byte[] bytes = new byte[source.readInt()];
    source.readFully(bytes);
    if (bytes.length > 0 && bytes[0] == '{') {
      if (jsonReader == null) {
        jsonReader = Json.mapper().readerFor(type);
      }
      return jsonReader.readValue(bytes);
    }
    if (reader == null) {
      reader = Json.binary().readerFor(type);
    }
    return reader.readValue(bytes);
  }

  @Override
  public boolean equals(Object obj) {
    return obj instanceof JsonTypeSerializer<?> other && other.type.equals(type);
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }

  @Override
  public TypeSerializerSnapshot<T> snapshotConfiguration() {
    return new Snapshot<>(type);
  }

  /** Snapshot that records the record class; any JSON serializer of the same class can read it. */
  public static final class Snapshot<T> implements TypeSerializerSnapshot<T> {
    private Class<T> type;

    /** For Flink's reflective instantiation on restore. */
    public Snapshot() {}

    Snapshot(Class<T> type) {
      this.type = type;
    }

    /** The record class this snapshot's serializer wrote (a newer serializer may migrate it). */
    public Class<T> recordClass() {
      return type;
    }

    @Override
    public int getCurrentVersion() {
      return 2; // 1: text JSON, 2: Smile; both read the same (the class name)
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
      out.writeUTF(type.getName());
    }

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader userCodeClassLoader)
        throws IOException {
      String className = in.readUTF();
      try {
        @SuppressWarnings("unchecked")
        Class<T> loaded = (Class<T>) Class.forName(className, false, userCodeClassLoader);
        this.type = loaded;
      } catch (ClassNotFoundException e) {
        throw new IOException("Cannot load record class " + className, e);
      }
    }

    @Override
    public TypeSerializer<T> restoreSerializer() {
      return new JsonTypeSerializer<>(type);
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
        TypeSerializerSnapshot<T> oldSerializerSnapshot) {
      if (oldSerializerSnapshot instanceof Snapshot<T> old && old.type.equals(type)) {
        return TypeSerializerSchemaCompatibility.compatibleAsIs();
      }
      return TypeSerializerSchemaCompatibility.incompatible();
    }
  }
}
