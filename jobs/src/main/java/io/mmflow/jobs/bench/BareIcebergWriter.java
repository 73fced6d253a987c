package io.mmflow.jobs.bench;

import io.mmflow.connectors.sink.iceberg.IcebergRows;
import io.mmflow.connectors.sink.iceberg.IcebergTables;
import io.mmflow.core.model.FusedResult;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.util.Threads;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.sink.RowDataTaskWriterFactory;
import org.apache.iceberg.io.TaskWriter;
import org.apache.iceberg.io.WriteResult;

/**
 * One thread's writer of the bare loop ({@link BareFeedLoop}) into an Iceberg table, the way the
 * job's Iceberg sinks write it: rows ({@link IcebergRows#result}, {@link IcebergRows#fused})
 * through Iceberg's own Flink row writer in upsert mode on the table's key (a delete of the key,
 * then the row), the files committed as one row delta at each {@link #commit()}, outside Flink and
 * off the consumer's thread ({@link Committer}).
 *
 * @param <T> what a row is made of
 */
final class BareIcebergWriter<T> implements AutoCloseable {
  /**
   * The table and its commits, shared by the loop's threads: one commit at a time, in the order
   * asked, on a thread of its own, so that no consumer waits for one (as the job's pipeline does
   * not wait for its Iceberg committer). A commit rewrites the table's metadata, and once a table
   * has hundreds of snapshots that takes hundreds of milliseconds: made in the consumer's thread it
   * held every item behind it as long, and the loop's p99 stayed near 500 ms at any rate.
   */
  static final class Committer<T> implements AutoCloseable {
    private final Table table;
    private final List<Integer> keyIds;
    private final Function<T, RowData> row;
    private final ExecutorService commits =
        Executors.newSingleThreadExecutor(Threads.daemon("bare-iceberg-commits"));
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    Committer(
        Configuration config, TableIdentifier name, List<String> key, Function<T, RowData> row) {
      this.table = IcebergTables.catalogLoader(config).loadCatalog().loadTable(name);
      this.keyIds = key.stream().map(k -> table.schema().findField(k).fieldId()).toList();
      this.row = row;
    }

    /** The results table, rows as the job's results sink makes them. */
    static Committer<ModalityResult> results(Configuration config) {
      return new Committer<>(
          config,
          IcebergTables.resultsTable(config),
          IcebergTables.RESULTS_KEY,
          r -> IcebergRows.result(r, null));
    }

    /** The fused results table, rows as the job's fused sink makes them. */
    static Committer<FusedResult> fused(Configuration config) {
      return new Committer<>(
          config,
          IcebergTables.fusedTable(config),
          IcebergTables.FUSED_KEY,
          f -> IcebergRows.fused(f, null));
    }

    BareIcebergWriter<T> writer(int taskId) {
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
      return new BareIcebergWriter<>(this, factory);
    }

    /** Commits {@code result} as one row delta after the commits asked before it. */
    void commitLater(WriteResult result) {
      check();
      commits.execute(
          () -> {
            try {
              RowDelta delta = table.newRowDelta();
              for (DataFile f : result.dataFiles()) {
                delta.addRows(f);
              }
              for (DeleteFile f : result.deleteFiles()) {
                delta.addDeletes(f);
              }
              delta.commit();
            } catch (RuntimeException e) {
              failure.compareAndSet(null, e);
            }
          });
    }

    /** A failed commit, thrown: the anchor must not report a rate of rows it did not commit. */
    void check() {
      Throwable t = failure.get();
      if (t != null) {
        throw new IllegalStateException("a commit of the bare loop failed: " + t, t);
      }
    }

    /** Waits for the commits asked so far, then {@link #check()}s them. */
    @Override
    public void close() throws InterruptedException {
      commits.shutdown();
      if (!commits.awaitTermination(2, TimeUnit.MINUTES)) {
        throw new IllegalStateException("the bare loop's Iceberg commits did not finish in 2 min");
      }
      check();
    }
  }

  private final Committer<T> committer;
  private final RowDataTaskWriterFactory factory;
  private TaskWriter<RowData> writer;
  private boolean written;

  private BareIcebergWriter(Committer<T> committer, RowDataTaskWriterFactory factory) {
    this.committer = committer;
    this.factory = factory;
    this.writer = factory.create();
  }

  void write(T value) throws IOException {
    writer.write(committer.row.apply(value));
    written = true;
  }

  /** Commits what was written since the last commit (nothing when nothing was). */
  void commit() throws IOException {
    if (!written) {
      return;
    }
    committer.commitLater(writer.complete());
    writer = factory.create();
    written = false;
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
