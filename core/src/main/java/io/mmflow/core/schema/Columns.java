package io.mmflow.core.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Collects the columns of a table or the fields of a struct in order, fixing the record type once
 * so that accessors can be method references.
 *
 * <pre>{@code
 * Columns.of(Label.class)
 *     .required(31, "label", ColumnType.STRING, "label", Label::label)
 *     .required(32, "score", ColumnType.DOUBLE, "score", Label::score)
 * }</pre>
 *
 * @param <R> the record the columns read
 */
public final class Columns<R> {
  private final List<Column<R>> columns = new ArrayList<>();

  private Columns() {}

  /** An empty list of columns reading {@code type}. */
  public static <R> Columns<R> of(Class<R> type) {
    return new Columns<>();
  }

  /** Adds a column whose accessor never returns null. */
  public Columns<R> required(
      int id, String name, ColumnType type, String source, Function<? super R, ?> accessor) {
    columns.add(new Column<>(id, name, type, true, source, "", accessor, false));
    return this;
  }

  /** Adds a column whose accessor may return null. */
  public Columns<R> optional(
      int id, String name, ColumnType type, String source, Function<? super R, ?> accessor) {
    columns.add(new Column<>(id, name, type, false, source, "", accessor, false));
    return this;
  }

  /**
   * Adds the column {@code run_id}: the id of the run that wrote the row, filled by the writers
   * (see {@link Column#runId}).
   */
  public Columns<R> runId(int id) {
    columns.add(Column.runId(id, "run_id"));
    return this;
  }

  /** Sets the note of the column added last. */
  public Columns<R> doc(String text) {
    int last = columns.size() - 1;
    columns.set(last, columns.get(last).withDoc(text));
    return this;
  }

  /** The columns so far, in order. */
  public List<Column<R>> toList() {
    return List.copyOf(columns);
  }
}
