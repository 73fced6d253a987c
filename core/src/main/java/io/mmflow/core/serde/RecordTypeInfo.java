package io.mmflow.core.serde;

import static java.util.Objects.requireNonNull;

import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Flink type information of an immutable record type that one serializer writes whole (no fields
 * Flink looks into, not a key type): what {@link JsonTypeInfo} and the fusion state's type share.
 * Two are equal when they are of the same class for the same record type.
 */
public abstract class RecordTypeInfo<T> extends TypeInformation<T> {
  private static final long serialVersionUID = 1L;

  private final Class<T> type;

  protected RecordTypeInfo(Class<T> type) {
    this.type = requireNonNull(type, "type is null");
  }

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<T> getTypeClass() {
    return type;
  }

  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && ((RecordTypeInfo<?>) o).type.equals(type);
  }

  @Override
  public int hashCode() {
    return 31 * getClass().hashCode() + type.hashCode();
  }

  @Override
  public boolean canEqual(Object obj) {
    return obj != null && obj.getClass() == getClass();
  }
}
