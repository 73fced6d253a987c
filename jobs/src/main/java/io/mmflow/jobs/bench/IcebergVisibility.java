package io.mmflow.jobs.bench;

import io.mmflow.connectors.sink.iceberg.IcebergTables;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.flink.configuration.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;

/**
 * How long after their events a streaming job's rows became visible in Iceberg ({@code bench
 * stream}): commits follow checkpoints, so this is about the checkpoint interval.
 */
final class IcebergVisibility {
  private IcebergVisibility() {}

  /**
   * Row-weighted mean, over the results table's commits since {@code start}, of commit time minus
   * the middle of the event-time range of each data file the commit added.
   */
  static double since(Configuration config, Instant start, PrintStream log) {
    Table table =
        IcebergTables.catalogLoader(config)
            .loadCatalog()
            .loadTable(IcebergTables.resultsTable(config));
    int eventTime = table.schema().findField("event_time").fieldId();
    double weighted = 0;
    long rows = 0;
    int commits = 0;
    for (Snapshot snapshot : table.snapshots()) {
      if (snapshot.timestampMillis() < start.toEpochMilli()) {
        continue;
      }
      commits++;
      for (DataFile file : snapshot.addedDataFiles(table.io())) {
        ByteBuffer lower = file.lowerBounds() == null ? null : file.lowerBounds().get(eventTime);
        ByteBuffer upper = file.upperBounds() == null ? null : file.upperBounds().get(eventTime);
        if (lower == null || upper == null) {
          continue;
        }
        long lo = Conversions.fromByteBuffer(Types.TimestampType.withZone(), lower);
        long hi = Conversions.fromByteBuffer(Types.TimestampType.withZone(), upper);
        double middleMs = (lo + hi) / 2000.0; // micros → ms
        weighted += (snapshot.timestampMillis() - middleMs) * file.recordCount();
        rows += file.recordCount();
      }
    }
    log.printf("  Iceberg: %d commits, %d rows since the timed phase began%n", commits, rows);
    return rows == 0 ? Double.NaN : weighted / rows / 1000.0;
  }
}
