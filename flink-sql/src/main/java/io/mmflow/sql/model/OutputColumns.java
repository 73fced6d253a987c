package io.mmflow.sql.model;

import io.mmflow.core.model.Label;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.sql.types.SqlTypes;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

/**
 * The OUTPUT columns of a {@code CREATE MODEL} statement, filled from the canonical result by name:
 * any column of the results table ({@code confidence}, {@code labels}, {@code language}, {@code
 * entities}, {@code status}, {@code error_code}, {@code model_version}, ...), plus {@code label}
 * and {@code score}, the best label and its score. A name or type that does not match is refused
 * when the model is created, with the names and types it could have.
 */
final class OutputColumns implements Serializable {
  private static final RowType RESULT = (RowType) SqlTypes.RESULT.getLogicalType();

  /** Where each output column comes from: a field of the result row, or LABEL / SCORE. */
  private final int[] sources;

  private static final int LABEL = -1;
  private static final int SCORE = -2;

  private OutputColumns(int[] sources) {
    this.sources = sources;
  }

  /** The columns of {@code output}, checked against the result's. */
  static OutputColumns of(String model, ResolvedSchema output) {
    List<Column> columns = output.getColumns();
    int[] sources = new int[columns.size()];
    for (int i = 0; i < sources.length; i++) {
      Column c = columns.get(i);
      String name = c.getName().toLowerCase(Locale.ROOT);
      LogicalType declared = c.getDataType().getLogicalType();
      LogicalType expected;
      if (name.equals("label")) {
        sources[i] = LABEL;
        expected = new org.apache.flink.table.types.logical.VarCharType(Integer.MAX_VALUE);
      } else if (name.equals("score")) {
        sources[i] = SCORE;
        expected = new org.apache.flink.table.types.logical.DoubleType();
      } else {
        int field = RESULT.getFieldNames().indexOf(name);
        if (field < 0) {
          throw new ValidationException(
              "model "
                  + model
                  + ": output column '"
                  + c.getName()
                  + "' is not a field of mmflow's result; use label STRING, score DOUBLE or any of "
                  + described());
        }
        sources[i] = field;
        expected = RESULT.getTypeAt(field);
      }
      if (!sameIgnoringNullability(declared, expected)) {
        throw new ValidationException(
            "model "
                + model
                + ": output column '"
                + c.getName()
                + "' must be "
                + expected.copy(true).asSummaryString()
                + ", not "
                + declared.asSummaryString());
      }
    }
    return new OutputColumns(sources);
  }

  /** The output row of one result. */
  RowData row(ModalityResult result) {
    GenericRowData out = new GenericRowData(sources.length);
    Label best =
        result.labels() == null || result.labels().isEmpty() ? null : result.labels().get(0);
    for (int i = 0; i < sources.length; i++) {
      int s = sources[i];
      if (s == LABEL) {
        out.setField(i, best == null ? null : StringData.fromString(best.label()));
      } else if (s == SCORE) {
        out.setField(i, best == null ? null : best.score());
      } else {
        out.setField(i, SqlTypes.resultField(result, s)); // only the columns asked for
      }
    }
    return out;
  }

  private static boolean sameIgnoringNullability(LogicalType a, LogicalType b) {
    return a.asSerializableString()
        .replace(" NOT NULL", "")
        .equals(b.asSerializableString().replace(" NOT NULL", ""));
  }

  private static String described() {
    List<String> fields = new ArrayList<>();
    for (RowType.RowField f : RESULT.getFields()) {
      fields.add(f.getName() + " " + f.getType().copy(true).asSummaryString());
    }
    return String.join(", ", fields);
  }
}
