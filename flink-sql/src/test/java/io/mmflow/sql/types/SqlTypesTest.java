package io.mmflow.sql.types;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.connectors.sink.iceberg.IcebergTables;
import io.mmflow.core.schema.DeadLetterSchema;
import io.mmflow.core.schema.FusedSchema;
import io.mmflow.core.schema.ResultSchema;
import io.mmflow.core.schema.TableSchema;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.Schema;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.junit.jupiter.api.Test;

/**
 * The SQL row types derived from core/schema are the row types Flink SQL sees in the Iceberg tables
 * the Java jobs write (through Iceberg's own Flink conversion): an {@code INSERT INTO results
 * SELECT} of a function's rows needs no cast and writes the same columns.
 */
class SqlTypesTest {
  @Test
  void resultRowIsTheIcebergTablesRow() {
    assertThat(SqlTypes.RESULT.getLogicalType().copy(true))
        .isEqualTo(icebergRow(IcebergTables.RESULTS).copy(true));
    assertSame(ResultSchema.TABLE, IcebergTables.RESULTS);
    assertSame(DeadLetterSchema.TABLE, IcebergTables.DEAD_LETTERS);
    assertSame(FusedSchema.TABLE, IcebergTables.FUSED);
  }

  private static void assertSame(TableSchema<?> table, Schema iceberg) {
    assertThat(SqlTypes.rowOf(table).getLogicalType()).isEqualTo(icebergRow(iceberg));
  }

  private static RowType icebergRow(Schema schema) {
    return FlinkSchemaUtil.convert(schema);
  }
}
