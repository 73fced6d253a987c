package io.mmflow.sql.types;

import io.mmflow.connectors.sink.iceberg.IcebergRows;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.schema.Column;
import io.mmflow.core.schema.ColumnType;
import io.mmflow.core.schema.ResultSchema;
import io.mmflow.core.schema.TableSchema;
import java.util.List;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;

/**
 * Flink SQL types derived from the one declaration of each table in {@code io.mmflow.core.schema}:
 * the canonical result as a SQL {@code ROW} has the columns, order, types and nullability of the
 * {@code results} table that the Java jobs write to Iceberg, so {@code INSERT INTO results SELECT
 * ...} from a SQL function writes the same rows.
 */
public final class SqlTypes {
  /** The canonical result ({@link ResultSchema}) as a SQL row of Flink's internal data. */
  public static final DataType RESULT = rowOf(ResultSchema.TABLE).bridgedTo(RowData.class);

  private SqlTypes() {}

  /** A table's rows as a SQL {@code ROW}: one field per column, required columns NOT NULL. */
  public static DataType rowOf(TableSchema<?> table) {
    return row(table.columns());
  }

  /** {@code result} as the internal value of {@link #RESULT}. */
  public static RowData result(ModalityResult result) {
    // the conversion the Iceberg sink uses, from the same declaration
    return IcebergRows.result(result);
  }

  /** Field {@code index} of {@link #RESULT} for {@code result} alone. */
  public static Object resultField(ModalityResult result, int index) {
    return IcebergRows.resultField(result, index);
  }

  private static DataType row(List<? extends Column<?>> columns) {
    DataTypes.Field[] fields = new DataTypes.Field[columns.size()];
    for (int i = 0; i < fields.length; i++) {
      Column<?> c = columns.get(i);
      DataType type = of(c.type());
      fields[i] = DataTypes.FIELD(c.name(), c.required() ? type.notNull() : type.nullable());
    }
    return DataTypes.ROW(fields);
  }

  /** A column type as a SQL type; list elements, map keys and values are NOT NULL. */
  public static DataType of(ColumnType type) {
    if (type instanceof ColumnType.Primitive p) {
      return switch (p) {
        case STRING -> DataTypes.STRING();
        case BOOLEAN -> DataTypes.BOOLEAN();
        case INT -> DataTypes.INT();
        case LONG -> DataTypes.BIGINT();
        case FLOAT -> DataTypes.FLOAT();
        case DOUBLE -> DataTypes.DOUBLE();
        // an instant, stored with its zone: Iceberg's timestamptz, microseconds
        case TIMESTAMP -> DataTypes.TIMESTAMP_LTZ(6);
        case BINARY -> DataTypes.BYTES();
      };
    }
    if (type instanceof ColumnType.ListOf list) {
      return DataTypes.ARRAY(of(list.element()).notNull());
    }
    if (type instanceof ColumnType.MapOf map) {
      return DataTypes.MAP(of(map.key()).notNull(), of(map.value()).notNull());
    }
    return row(((ColumnType.StructOf) type).fields());
  }
}
