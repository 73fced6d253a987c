package io.mmflow.core.schema;

import static io.mmflow.core.util.Checks.checkArgument;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one declaration of a table: its columns in order, its key and its partitioning. The stores'
 * schemas, rows and statements are derived from it (Iceberg in {@code IcebergTables} and {@code
 * IcebergRows}, PostgreSQL in {@code PostgresTable}), so a column is added in one place.
 *
 * @param doc what one row is
 * @param columns the columns in table order
 * @param key the names of the key columns (Iceberg identifier fields, Postgres primary key)
 * @param partitioning how the Iceberg table is partitioned; empty for unpartitioned
 * @param <R> the record a row is written from
 */
public record TableSchema<R>(
    String doc, List<Column<R>> columns, List<String> key, List<Partition> partitioning) {

  /** How a partition value is derived from its source column. */
  public enum Transform {
    IDENTITY,
    /** The UTC day of a timestamp. */
    DAY
  }

  /** One partition field: a transform of a column. */
  public record Partition(String column, Transform transform) {}

  public TableSchema {
    columns = List.copyOf(columns);
    key = List.copyOf(key);
    partitioning = List.copyOf(partitioning);
    Set<String> names = new HashSet<>();
    Set<Integer> ids = new HashSet<>();
    for (Column<R> c : columns) {
      checkArgument(names.add(c.name()), "duplicate column name: %s", c.name());
      collectIds(c, ids);
    }
    for (String k : key) {
      checkArgument(names.contains(k), "key column %s is not a column", k);
    }
    for (Partition p : partitioning) {
      checkArgument(names.contains(p.column()), "partition column %s is not a column", p.column());
    }
    for (Column<R> c : columns) {
      checkArgument(
          !key.contains(c.name()) || c.required(), "key column %s must be required", c.name());
    }
  }

  private static void collectIds(Column<?> column, Set<Integer> ids) {
    checkArgument(ids.add(column.id()), "duplicate field id %s (%s)", column.id(), column.name());
    collectIds(column.type(), column.name(), ids);
  }

  private static void collectIds(ColumnType type, String name, Set<Integer> ids) {
    if (type instanceof ColumnType.ListOf list) {
      checkArgument(
          ids.add(list.elementId()), "duplicate field id %s (%s)", list.elementId(), name);
      collectIds(list.element(), name, ids);
    } else if (type instanceof ColumnType.MapOf map) {
      checkArgument(ids.add(map.keyId()), "duplicate field id %s (%s)", map.keyId(), name);
      checkArgument(ids.add(map.valueId()), "duplicate field id %s (%s)", map.valueId(), name);
      collectIds(map.key(), name, ids);
      collectIds(map.value(), name, ids);
    } else if (type instanceof ColumnType.StructOf struct) {
      for (Column<?> field : struct.fields()) {
        collectIds(field, ids);
      }
    }
  }

  /** A table of {@code columns} with {@code key} and {@code partitioning}. */
  public static <R> TableSchema<R> of(
      String doc, Columns<R> columns, List<String> key, List<Partition> partitioning) {
    return new TableSchema<>(doc, columns.toList(), key, partitioning);
  }

  /** The columns' names in table order. */
  public List<String> columnNames() {
    List<String> out = new ArrayList<>(columns.size());
    for (Column<R> c : columns) {
      out.add(c.name());
    }
    return out;
  }

  /** The column called {@code name}. */
  public Column<R> column(String name) {
    for (Column<R> c : columns) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("no column " + name);
  }
}
