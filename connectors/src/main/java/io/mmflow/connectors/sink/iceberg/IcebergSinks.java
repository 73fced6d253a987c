package io.mmflow.connectors.sink.iceberg;

import io.mmflow.core.config.BackfillOptions;
import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.FusedResult;
import io.mmflow.core.model.ModalityResult;
import java.util.List;
import java.util.function.Function;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.sink.FlinkSink;

/**
 * Exactly-once sinks into the Iceberg tables: data files are committed on each checkpoint (and at
 * the end of a bounded input), in upsert mode on the table's key. Each row carries the id of the
 * run that wrote it ({@code run_id}, from {@link RuntimeOptions#RUN_ID}).
 */
public final class IcebergSinks {
  private IcebergSinks() {}

  public static void results(DataStream<ModalityResult> results, Configuration config) {
    upsert(
        results,
        runId -> r -> IcebergRows.result(r, runId),
        IcebergTables.RESULTS,
        IcebergTables.resultsTable(config),
        IcebergTables.RESULTS_KEY,
        "iceberg-results",
        config);
  }

  public static void deadLetters(DataStream<DeadLetter> deadLetters, Configuration config) {
    upsert(
        deadLetters,
        runId -> d -> IcebergRows.deadLetter(d, runId),
        IcebergTables.DEAD_LETTERS,
        IcebergTables.deadLetterTable(config),
        IcebergTables.DEAD_LETTERS_KEY,
        "iceberg-dead-letters",
        config);
  }

  /** Fused results, upserted on (correlation id, window start): a re-fired window replaces. */
  public static void fused(DataStream<FusedResult> fused, Configuration config) {
    upsert(
        fused,
        runId -> f -> IcebergRows.fused(f, runId),
        IcebergTables.FUSED,
        IcebergTables.fusedTable(config),
        IcebergTables.FUSED_KEY,
        "iceberg-fused",
        config);
  }

  /** Results too late for their fusion window, as result rows on the results key. */
  public static void late(DataStream<ModalityResult> late, Configuration config) {
    upsert(
        late,
        runId -> r -> IcebergRows.result(r, runId),
        IcebergTables.LATE,
        IcebergTables.lateTable(config),
        IcebergTables.LATE_KEY,
        "iceberg-late",
        config);
  }

  /**
   * The branch the sinks commit to: {@code main}, or a backfill's own branch ({@link
   * BackfillOptions#ID}), so a backfill never changes what readers of {@code main} see until it is
   * published.
   */
  public static String branch(Configuration config) {
    return config
        .getOptional(BackfillOptions.ID)
        .map(BackfillOptions::branch)
        .orElse(SnapshotRef.MAIN_BRANCH);
  }

  private static <T> void upsert(
      DataStream<T> records,
      Function<String, MapFunction<T, RowData>> toRow,
      Schema schema,
      TableIdentifier table,
      List<String> key,
      String uid,
      Configuration config) {
    DataStream<RowData> rows =
        records
            .map(
                toRow.apply(config.getOptional(RuntimeOptions.RUN_ID).orElse(null)),
                InternalTypeInfo.of(FlinkSchemaUtil.convert(schema)))
            .name(table.name() + " to Iceberg rows")
            .uid(uid + "-rows");
    FlinkSink.forRowData(rows)
        .tableLoader(TableLoader.fromCatalog(IcebergTables.catalogLoader(config), table))
        .upsert(true)
        .equalityFieldColumns(key)
        .toBranch(branch(config))
        .uidPrefix(uid)
        .append();
  }
}
