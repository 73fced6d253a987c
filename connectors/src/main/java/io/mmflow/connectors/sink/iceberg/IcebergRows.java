package io.mmflow.connectors.sink.iceberg;

import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.FusedResult;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.schema.Column;
import io.mmflow.core.schema.ColumnType;
import io.mmflow.core.schema.DeadLetterSchema;
import io.mmflow.core.schema.FusedSchema;
import io.mmflow.core.schema.ResultSchema;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

/**
 * Canonical records as Flink {@link RowData} in the column order of {@link IcebergTables}, read
 * through the declarations in {@code io.mmflow.core.schema}. The conversion of each column is
 * chosen once, when this class loads; a row costs the accessor calls and the Flink values only.
 */
public final class IcebergRows {
  private static final Struct RESULT = new Struct(ResultSchema.TABLE.columns());
  private static final Struct DEAD_LETTER = new Struct(DeadLetterSchema.TABLE.columns());
  private static final Struct FUSED = new Struct(FusedSchema.TABLE.columns());

  private IcebergRows() {}

  /** A result written outside a run (its {@code run_id} null). */
  public static RowData result(ModalityResult r) {
    return RESULT.convert(r, null);
  }

  /** A result written by the run {@code runId}. */
  public static RowData result(ModalityResult r, String runId) {
    return RESULT.convert(r, runId);
  }

  /**
   * Column {@code index} of {@link #result}'s row alone, as Flink's internal value: for a reader
   * that needs a few columns of a result, not its whole row.
   */
  public static Object resultField(ModalityResult r, int index) {
    return RESULT.field(r, index);
  }

  public static RowData deadLetter(DeadLetter d) {
    return DEAD_LETTER.convert(d, null);
  }

  /** A dead letter written by the run {@code runId}. */
  public static RowData deadLetter(DeadLetter d, String runId) {
    return DEAD_LETTER.convert(d, runId);
  }

  /** A fused result; enums and modalities as wire names, the sentiment flattened. */
  public static RowData fused(FusedResult f) {
    return FUSED.convert(f, null);
  }

  /** A fused result written by the run {@code runId}. */
  public static RowData fused(FusedResult f, String runId) {
    return FUSED.convert(f, runId);
  }

  /** From a non-null canonical value (see {@link ColumnType}) to Flink's internal value. */
  @FunctionalInterface
  private interface ToFlink {
    Object convert(Object value);
  }

  private static ToFlink converter(ColumnType type) {
    if (type instanceof ColumnType.Primitive p) {
      return switch (p) {
        case STRING -> v -> StringData.fromString((String) v);
        case TIMESTAMP -> v -> TimestampData.fromInstant((Instant) v);
        // Flink's internal values of these are the boxed Java values and byte[]
        case BOOLEAN, INT, LONG, FLOAT, DOUBLE, BINARY -> v -> v;
      };
    }
    if (type instanceof ColumnType.ListOf list) {
      if (list.element() == ColumnType.FLOAT) {
        return v -> new GenericArrayData((float[]) v); // embeddings stay unboxed
      }
      ToFlink element = converter(list.element());
      return v -> {
        List<?> values = (List<?>) v;
        Object[] out = new Object[values.size()];
        for (int i = 0; i < out.length; i++) {
          out[i] = element.convert(values.get(i));
        }
        return new GenericArrayData(out);
      };
    }
    if (type instanceof ColumnType.MapOf map) {
      ToFlink key = converter(map.key());
      ToFlink value = converter(map.value());
      return v -> {
        Map<Object, Object> out = new HashMap<>();
        ((Map<?, ?>) v).forEach((k, x) -> out.put(key.convert(k), value.convert(x)));
        return new GenericMapData(out);
      };
    }
    Struct struct = new Struct(((ColumnType.StructOf) type).fields());
    return v -> struct.convert(v, null);
  }

  /**
   * A row (or a nested struct): one accessor and one conversion per column, in column order; the
   * columns written from the run take the run's id instead.
   */
  private static final class Struct {
    private final Function<Object, ?>[] accessors;
    private final ToFlink[] converters;
    private final boolean[] fromRun;

    @SuppressWarnings("unchecked")
    Struct(List<? extends Column<?>> columns) {
      accessors = new Function[columns.size()];
      converters = new ToFlink[columns.size()];
      fromRun = new boolean[columns.size()];
      for (int i = 0; i < accessors.length; i++) {
        Column<?> column = columns.get(i);
        fromRun[i] = column.fromRun();
        accessors[i] = (Function<Object, ?>) column.accessor();
        converters[i] = converter(column.type());
      }
    }

    Object field(Object record, int i) {
      Object value = accessors[i].apply(record);
      return value == null ? null : converters[i].convert(value);
    }

    GenericRowData convert(Object record, String runId) {
      GenericRowData row = new GenericRowData(accessors.length);
      for (int i = 0; i < accessors.length; i++) {
        Object value = fromRun[i] ? runId : accessors[i].apply(record);
        row.setField(i, value == null ? null : converters[i].convert(value));
      }
      return row;
    }
  }
}
