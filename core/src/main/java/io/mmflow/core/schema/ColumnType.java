package io.mmflow.core.schema;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The type of a {@link Column}, independent of any store: each sink maps it to its own types
 * (Iceberg, PostgreSQL, later Flink SQL). Nested types carry the Iceberg field ids of their
 * elements, keys and values, so the derived Iceberg schemas keep the ids of existing warehouses.
 *
 * <p>The canonical Java value a column's accessor returns for each type: {@code STRING} a {@link
 * String} (enums as their wire names), {@code BOOLEAN} a {@link Boolean}, {@code INT} an {@link
 * Integer}, {@code LONG} a {@link Long}, {@code FLOAT} a {@link Float}, {@code DOUBLE} a {@link
 * Double}, {@code TIMESTAMP} an {@link java.time.Instant}, {@code BINARY} a {@code byte[]}; a list
 * of {@code FLOAT} a {@code float[]} (embeddings, never boxed on their way to Iceberg), any other
 * list a {@link List} of element values; a map a {@link java.util.Map}; a struct the object its
 * fields' accessors read.
 */
public sealed interface ColumnType
    permits ColumnType.Primitive, ColumnType.ListOf, ColumnType.MapOf, ColumnType.StructOf {

  /** Scalar types. {@code TIMESTAMP} is an instant (UTC, with zone in the stores). */
  enum Primitive implements ColumnType {
    STRING,
    BOOLEAN,
    INT,
    LONG,
    FLOAT,
    DOUBLE,
    TIMESTAMP,
    BINARY
  }

  /** A list of non-null elements. */
  record ListOf(int elementId, ColumnType element) implements ColumnType {
    public ListOf {
      requireNonNull(element, "element is null");
    }
  }

  /** A map of non-null keys to non-null values. */
  record MapOf(int keyId, ColumnType key, int valueId, ColumnType value) implements ColumnType {
    public MapOf {
      requireNonNull(key, "key is null");
      requireNonNull(value, "value is null");
    }
  }

  /** A struct whose fields read an element object (e.g. a {@code Label} of a result). */
  record StructOf(List<Column<?>> fields) implements ColumnType {
    public StructOf {
      fields = List.copyOf(fields);
    }
  }

  ColumnType STRING = Primitive.STRING;
  ColumnType BOOLEAN = Primitive.BOOLEAN;
  ColumnType INT = Primitive.INT;
  ColumnType LONG = Primitive.LONG;
  ColumnType FLOAT = Primitive.FLOAT;
  ColumnType DOUBLE = Primitive.DOUBLE;
  ColumnType TIMESTAMP = Primitive.TIMESTAMP;
  ColumnType BINARY = Primitive.BINARY;

  static ColumnType listOf(int elementId, ColumnType element) {
    return new ListOf(elementId, element);
  }

  static ColumnType mapOf(int keyId, ColumnType key, int valueId, ColumnType value) {
    return new MapOf(keyId, key, valueId, value);
  }

  static <E> ColumnType structOf(Columns<E> fields) {
    return new StructOf(List.<Column<?>>copyOf(fields.toList()));
  }
}
