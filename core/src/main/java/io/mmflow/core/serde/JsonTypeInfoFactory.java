package io.mmflow.core.serde;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Tells Flink to serialize an annotated canonical record with {@link JsonTypeSerializer} instead of
 * falling back to Kryo, which cannot rebuild immutable JDK collections inside records.
 */
public final class JsonTypeInfoFactory<T> extends TypeInfoFactory<T> {
  @Override
  @SuppressWarnings("unchecked")
  public TypeInformation<T> createTypeInfo(
      Type type, Map<String, TypeInformation<?>> genericParameters) {
    return new JsonTypeInfo<>((Class<T>) type);
  }
}
