package io.mmflow.sql.source;

import io.mmflow.connectors.source.MediaSources;
import io.mmflow.core.config.SourceOptions;
import io.mmflow.core.model.MediaItem;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.ProviderContext;
import org.apache.flink.table.connector.source.DataStreamScanProvider;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.abilities.SupportsProjectionPushDown;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

/**
 * A folder or bucket prefix as a table, one row per object, read by the jobs' own sources (FLIP-27:
 * files through Flink's FileSource, S3 through mmflow's). Bounded by default; with {@code
 * monitor-interval} a folder is watched for new files, each read once (exactly once across restarts
 * from a checkpoint). Only the columns a query reads are made, and the bytes are read only when it
 * reads {@code content}, {@code content_sha256} or {@code media_type}.
 */
final class MediaTableSource implements ScanTableSource, SupportsProjectionPushDown {
  private final Configuration config;
  private List<MediaColumns> columns;
  private DataType produced;

  MediaTableSource(Configuration config, List<MediaColumns> columns, DataType produced) {
    this.config = config;
    this.columns = columns;
    this.produced = produced;
  }

  @Override
  public ChangelogMode getChangelogMode() {
    return ChangelogMode.insertOnly();
  }

  @Override
  public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
    Configuration source = sourceConfig();
    boolean bounded = source.getOptional(SourceOptions.MONITOR_INTERVAL).isEmpty();
    MediaColumns.Rows rows = new MediaColumns.Rows(columns);
    TypeInformation<RowData> type = InternalTypeInfo.of((RowType) produced.getLogicalType());
    return new DataStreamScanProvider() {
      @Override
      public DataStream<RowData> produceDataStream(
          ProviderContext provider, StreamExecutionEnvironment env) {
        return env.fromSource(
                MediaSources.fromConfig(source),
                WatermarkStrategy.<MediaItem>noWatermarks(),
                "mmflow-media " + source.get(SourceOptions.PATH))
            .uid(provider.generateUid("media-source").orElse("media-source"))
            .map(rows::row)
            .returns(type)
            .name("media rows");
      }

      @Override
      public boolean isBounded() {
        return bounded;
      }
    };
  }

  /** The source's settings for the columns read now: no bytes when no column needs them. */
  Configuration sourceConfig() {
    Configuration source = new Configuration(config);
    if (columns.stream().noneMatch(c -> c.needsBytes)) {
      source.set(SourceOptions.MAX_BYTES, MemorySize.ZERO);
    }
    return source;
  }

  @Override
  public boolean supportsNestedProjection() {
    return false;
  }

  @Override
  public void applyProjection(int[][] projectedFields, DataType producedDataType) {
    List<MediaColumns> kept = new ArrayList<>();
    for (int[] path : projectedFields) {
      kept.add(columns.get(path[0]));
    }
    columns = kept;
    produced = producedDataType;
  }

  @Override
  public DynamicTableSource copy() {
    return new MediaTableSource(config, new ArrayList<>(columns), produced);
  }

  @Override
  public String asSummaryString() {
    return "mmflow-media";
  }
}
