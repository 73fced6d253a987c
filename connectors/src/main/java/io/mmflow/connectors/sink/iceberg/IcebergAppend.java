package io.mmflow.connectors.sink.iceberg;

import io.mmflow.core.schema.Column;
import io.mmflow.core.schema.ColumnType;
import io.mmflow.core.schema.TableSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.encryption.EncryptedOutputFile;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;

/**
 * A few records of a declared table appended to an unpartitioned Iceberg table in one commit, from
 * this process (not a Flink sink): for the rows the runner writes itself, such as a run's row of
 * {@code job_runs}. Scalars and maps of scalars; timestamps as instants in UTC.
 */
public final class IcebergAppend {
  private IcebergAppend() {}

  /** Appends {@code records} in one Parquet file and one commit. */
  public static <R> void append(Table table, TableSchema<R> schema, List<R> records) {
    if (!table.spec().isUnpartitioned()) {
      throw new IllegalArgumentException(table.name() + " is partitioned");
    }
    GenericAppenderFactory factory = new GenericAppenderFactory(table.schema(), table.spec());
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, 1, System.nanoTime())
            .format(FileFormat.PARQUET)
            .build();
    EncryptedOutputFile file = files.newOutputFile();
    DataWriter<Record> writer = factory.newDataWriter(file, FileFormat.PARQUET, null);
    try (writer) {
      for (R r : records) {
        GenericRecord row = GenericRecord.create(table.schema());
        for (Column<R> c : schema.columns()) {
          row.setField(c.name(), value(c.type(), c.get(r)));
        }
        writer.write(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to " + table.name(), e);
    }
    table.newAppend().appendFile(writer.toDataFile()).commit();
  }

  private static Object value(ColumnType type, Object v) {
    if (v instanceof Instant i && type == ColumnType.TIMESTAMP) {
      return i.atOffset(ZoneOffset.UTC);
    }
    if (type instanceof ColumnType.StructOf) {
      throw new IllegalArgumentException("structs are not written here");
    }
    return v;
  }
}
