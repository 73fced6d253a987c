package io.mmflow.core.serde;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink type information for a record type serialized as JSON. */
public final class JsonTypeInfo<T> extends RecordTypeInfo<T> {
  private static final long serialVersionUID = 1L;

  public JsonTypeInfo(Class<T> type) {
    super(type);
  }

  @Override
  public TypeSerializer<T> createSerializer(SerializerConfig config) {
    return new JsonTypeSerializer<>(getTypeClass());
  }

  @Override
  public String toString() {
    return "Json<" + getTypeClass().getSimpleName() + ">";
  }
}
