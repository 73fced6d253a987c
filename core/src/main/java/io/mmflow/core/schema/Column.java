package io.mmflow.core.schema;

import static io.mmflow.core.util.Checks.requireNonBlank;
import static java.util.Objects.requireNonNull;

import java.util.function.Function;

/**
 * One column of a {@link TableSchema}, or one field of a struct column.
 *
 * @param id the Iceberg field id; never reuse or renumber one, existing warehouses keep them
 * @param name the column name in every store (snake_case)
 * @param type the column's type
 * @param required whether the accessor never returns null
 * @param source the record components the accessor reads, as a path from the record ({@code
 *     provenance.modelVersion}); several separated by commas. Checked against the records by the
 *     schema tests, so a new record component cannot be forgotten
 * @param doc a short note for readers (may be empty)
 * @param accessor reads the canonical Java value (see {@link ColumnType}) from the record
 * @param <R> the record type the column reads
 */
public record Column<R>(
    int id,
    String name,
    ColumnType type,
    boolean required,
    String source,
    String doc,
    Function<? super R, ?> accessor) {

  public Column {
    requireNonBlank(name, "column name");
    requireNonNull(type, "type is null");
    requireNonBlank(source, "source of " + name);
    doc = doc == null ? "" : doc;
    requireNonNull(accessor, "accessor is null");
  }

  /** This column with a short note for readers. */
  public Column<R> withDoc(String text) {
    return new Column<>(id, name, type, required, source, text, accessor);
  }

  /** The canonical value of this column in {@code record}; null only when not required. */
  public Object get(R record) {
    return accessor.apply(record);
  }
}
