package io.mmflow.connectors.sink.iceberg;

import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.ModalityResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.sink.FlinkSink;

/**
 * Exactly-once sinks into the Iceberg tables: data files are committed on each checkpoint (and at
 * the end of a bounded input), in upsert mode on the table's key.
 */
public final class IcebergSinks {
  private IcebergSinks() {}

  public static void results(DataStream<ModalityResult> results, Configuration config) {
    DataStream<RowData> rows =
        results
            .map(IcebergRows::result, rowType(IcebergTables.RESULTS))
            .name("results to Iceberg rows")
            .uid("iceberg-results-rows");
    FlinkSink.forRowData(rows)
        .tableLoader(
            TableLoader.fromCatalog(
                IcebergTables.catalogLoader(config), IcebergTables.resultsTable(config)))
        .upsert(true)
        .equalityFieldColumns(IcebergTables.RESULTS_KEY)
        .uidPrefix("iceberg-results")
        .append();
  }

  public static void deadLetters(DataStream<DeadLetter> deadLetters, Configuration config) {
    DataStream<RowData> rows =
        deadLetters
            .map(IcebergRows::deadLetter, rowType(IcebergTables.DEAD_LETTERS))
            .name("dead letters to Iceberg rows")
            .uid("iceberg-dead-letters-rows");
    FlinkSink.forRowData(rows)
        .tableLoader(
            TableLoader.fromCatalog(
                IcebergTables.catalogLoader(config), IcebergTables.deadLetterTable(config)))
        .upsert(true)
        .equalityFieldColumns(IcebergTables.DEAD_LETTERS_KEY)
        .uidPrefix("iceberg-dead-letters")
        .append();
  }

  private static TypeInformation<RowData> rowType(org.apache.iceberg.Schema schema) {
    return InternalTypeInfo.of(FlinkSchemaUtil.convert(schema));
  }
}
