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
 * @param accessor reads the canonical Java value (see {@link ColumnType}) from the record; for a
 *     column written from the run, answers null
 * @param fromRun whether the writer fills the column from the run that writes the row (the run's
 *     id, {@code run_id}) rather than from the record
 * @param <R> the record type the column reads
 */
public record Column<R>(
    int id,
    String name,
    ColumnType type,
    boolean required,
    String source,
    String doc,
    Function<? super R, ?> accessor,
    boolean fromRun) {

  /** The source of a column written from the run: it reads no record component. */
  public static final String RUN_SOURCE = "(the run)";

  public Column {
    requireNonBlank(name, "column name");
    requireNonNull(type, "type is null");
    requireNonBlank(source, "source of " + name);
    doc = doc == null ? "" : doc;
    requireNonNull(accessor, "accessor is null");
  }

  /** This column with a short note for readers. */
  public Column<R> withDoc(String text) {
    return new Column<>(id, name, type, required, source, text, accessor, fromRun);
  }

  /**
   * A column holding the id of the run that wrote the row (the Flink job id), filled by the
   * writers; null in a row written outside a job's run (a SQL function's answer).
   */
  public static <R> Column<R> runId(int id, String name) {
    return new Column<>(
        id,
        name,
        ColumnType.STRING,
        false,
        RUN_SOURCE,
        "the run that wrote the row",
        r -> null,
        true);
  }

  /** The canonical value of this column in {@code record}; null only when not required. */
  public Object get(R record) {
    return accessor.apply(record);
  }
}
