package io.mmflow.connectors.sink.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.core.config.IcebergOptions;
import io.mmflow.core.model.FusedResult;
import io.mmflow.core.model.FusionStatus;
import io.mmflow.core.model.FusionStrategy;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.OverallSentiment;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fusion's Iceberg tables in a real Hadoop-catalog warehouse, and the fused row mapping. */
class IcebergTablesTest {
  static final Instant START = Instant.parse("2026-11-24T10:00:00Z");

  static FusedResult fused(OverallSentiment sentiment, Double consistency) {
    return new FusedResult(
        "conv-7",
        START,
        START.plusSeconds(60),
        List.of(Modality.TEXT, Modality.AUDIO),
        List.of(Modality.IMAGE),
        sentiment,
        consistency,
        FusionStrategy.MAJORITY_VOTE,
        FusionStatus.PARTIAL_FAILURE,
        4,
        START.plusSeconds(61),
        1);
  }

  @Test
  void ensureTablesCreatesFusedAndLateTablesWithTheirKeysAndPartitions(@TempDir Path dir) {
    Configuration config = new Configuration();
    config.set(IcebergOptions.WAREHOUSE, dir.toUri().toString());
    config.set(IcebergOptions.LATE_TABLE, "too_late");
    IcebergTables.ensureTables(config);
    IcebergTables.ensureTables(config); // idempotent

    Catalog catalog = IcebergTables.catalogLoader(config).loadCatalog();
    assertThat(IcebergTables.fusedTable(config).toString()).isEqualTo("mmflow.fused_results");
    assertThat(IcebergTables.lateTable(config).toString()).isEqualTo("mmflow.too_late");

    Table fused = catalog.loadTable(IcebergTables.fusedTable(config));
    assertThat(fused.schema().sameSchema(IcebergTables.FUSED)).isTrue();
    assertThat(fused.schema().identifierFieldNames())
        .containsExactlyInAnyOrder("correlation_id", "window_start");
    assertThat(IcebergTables.FUSED_KEY).containsExactly("correlation_id", "window_start");
    assertThat(fused.spec().fields()).hasSize(1);
    assertThat(fused.spec().fields().get(0).transform().toString()).isEqualTo("day");
    assertThat(fused.schema().findColumnName(fused.spec().fields().get(0).sourceId()))
        .isEqualTo("window_start");
    assertThat(((HasTableOperations) fused).operations().current().formatVersion()).isEqualTo(2);
    assertThat(fused.properties()).containsEntry("write.upsert.enabled", "true");
    assertThat(fused.schema().findField("window_end").type().toString()).isEqualTo("timestamptz");
    assertThat(fused.schema().findField("modalities_present").type().toString())
        .isEqualTo("list<string>");
    assertThat(fused.schema().findField("sentiment_contributing_modalities").isOptional()).isTrue();
    assertThat(fused.schema().findField("consistency").isOptional()).isTrue();

    Table late = catalog.loadTable(IcebergTables.lateTable(config));
    Table results = catalog.loadTable(IcebergTables.resultsTable(config));
    assertThat(late.schema().sameSchema(results.schema())).isTrue();
    assertThat(late.schema().identifierFieldNames())
        .isEqualTo(Set.copyOf(IcebergTables.RESULTS_KEY))
        .isEqualTo(Set.copyOf(IcebergTables.LATE_KEY));
    assertThat(late.spec().fields()).hasSize(1);
    assertThat(late.spec().fields().get(0).name()).isEqualTo("task");
    assertThat(late.spec().compatibleWith(results.spec())).isTrue();
    assertThat(catalog.tableExists(IcebergTables.deadLetterTable(config))).isTrue();
  }

  @Test
  void fusedRowHasEveryColumnInTableOrderWithTheTableTypes() {
    RowData row =
        IcebergRows.fused(
            fused(new OverallSentiment("negative", 0.75, 0.5, List.of(Modality.AUDIO)), 0.25));

    RowType type = FlinkSchemaUtil.convert(IcebergTables.FUSED);
    assertThat(row.getArity()).isEqualTo(type.getFieldCount());
    // every field reads back through the getter of its table type (a wrong Java type would throw)
    List<Object> fields = new ArrayList<>();
    for (int i = 0; i < type.getFieldCount(); i++) {
      fields.add(RowData.createFieldGetter(type.getTypeAt(i), i).getFieldOrNull(row));
    }
    assertThat(fields).hasSize(15);

    assertThat(row.getString(0).toString()).isEqualTo("conv-7");
    assertThat(row.getTimestamp(1, 6).toInstant()).isEqualTo(START);
    assertThat(row.getTimestamp(2, 6).toInstant()).isEqualTo(START.plusSeconds(60));
    assertThat(strings(row.getArray(3))).containsExactly("text", "audio");
    assertThat(strings(row.getArray(4))).containsExactly("image");
    assertThat(row.getString(5).toString()).isEqualTo("negative");
    assertThat(row.getDouble(6)).isEqualTo(0.75);
    assertThat(row.getDouble(7)).isEqualTo(0.5);
    assertThat(strings(row.getArray(8))).containsExactly("audio");
    assertThat(row.getDouble(9)).isEqualTo(0.25);
    assertThat(row.getString(10).toString()).isEqualTo("majority_vote");
    assertThat(row.getString(11).toString()).isEqualTo("partial_failure");
    assertThat(row.getInt(12)).isEqualTo(4);
    assertThat(row.getTimestamp(13, 6).toInstant()).isEqualTo(START.plusSeconds(61));
    assertThat(row.getInt(14)).isEqualTo(1);
  }

  @Test
  void fusedRowWithoutSentimentHasNullSentimentColumns() {
    RowData row = IcebergRows.fused(fused(null, null));
    for (int i = 5; i <= 9; i++) {
      assertThat(row.isNullAt(i))
          .as("column %s", IcebergTables.FUSED.columns().get(i).name())
          .isTrue();
    }
    assertThat(row.isNullAt(10)).isFalse();
  }

  private static List<String> strings(ArrayData array) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      out.add(array.getString(i).toString());
    }
    return out;
  }
}
