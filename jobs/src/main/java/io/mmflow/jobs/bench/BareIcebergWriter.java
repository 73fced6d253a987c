package io.mmflow.jobs.bench;

import io.mmflow.connectors.sink.iceberg.IcebergRows;
import io.mmflow.connectors.sink.iceberg.IcebergTables;
import io.mmflow.core.model.ModalityResult;
import java.io.IOException;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.sink.RowDataTaskWriterFactory;
import org.apache.iceberg.io.TaskWriter;
import org.apache.iceberg.io.WriteResult;

/**
 * One thread's writer of the bare loop ({@link BareFeedLoop}) into the Iceberg results table, the
 * way the job's Iceberg sink writes it: result rows ({@link IcebergRows#result}) through Iceberg's
 * own Flink row writer in upsert mode on the results key (a delete of the key, then the row), the
 * files committed as one row delta at each {@link #commit()}, outside Flink.
 */
final class BareIcebergWriter implements AutoCloseable {
  /** The table and its commits, shared by the loop's threads (one commit at a time). */
  static final class Committer {
    private final Table table;
    private final List<Integer> keyIds;

    Committer(Configuration config) {
      this.table =
          IcebergTables.catalogLoader(config)
              .loadCatalog()
              .loadTable(IcebergTables.resultsTable(config));
      this.keyIds =
          IcebergTables.RESULTS_KEY.stream()
              .map(name -> table.schema().findField(name).fieldId())
              .toList();
    }

    BareIcebergWriter writer(int taskId) {
      FileFormat format =
          FileFormat.fromString(
              table
                  .properties()
                  .getOrDefault(
                      TableProperties.DEFAULT_FILE_FORMAT,
                      TableProperties.DEFAULT_FILE_FORMAT_DEFAULT));
      RowDataTaskWriterFactory factory =
          new RowDataTaskWriterFactory(
              table,
              FlinkSchemaUtil.convert(table.schema()),
              TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT,
              format,
              table.properties(),
              keyIds,
              true);
      factory.initialize(taskId, 0);
      return new BareIcebergWriter(this, factory);
    }

    synchronized void commit(WriteResult result) {
      RowDelta delta = table.newRowDelta();
      for (DataFile f : result.dataFiles()) {
        delta.addRows(f);
      }
      for (DeleteFile f : result.deleteFiles()) {
        delta.addDeletes(f);
      }
      delta.commit();
    }
  }

  private final Committer committer;
  private final RowDataTaskWriterFactory factory;
  private TaskWriter<RowData> writer;
  private boolean written;

  private BareIcebergWriter(Committer committer, RowDataTaskWriterFactory factory) {
    this.committer = committer;
    this.factory = factory;
    this.writer = factory.create();
  }

  void write(ModalityResult r) throws IOException {
    writer.write(IcebergRows.result(r, null));
    written = true;
  }

  /** Commits what was written since the last commit (nothing when nothing was). */
  void commit() throws IOException {
    if (!written) {
      return;
    }
    committer.commit(writer.complete());
    writer = factory.create();
    written = false;
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
