package io.mmflow.connectors.sink.iceberg;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;
import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.connectors.embedded.EmbeddedPostgresServer;
import io.mmflow.connectors.sink.SinkFixtures;
import io.mmflow.core.config.IcebergOptions;
import io.mmflow.core.config.PostgresOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.FusedResult;
import io.mmflow.core.model.FusionStatus;
import io.mmflow.core.model.FusionStrategy;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.OverallSentiment;
import io.mmflow.core.model.Provenance;
import io.mmflow.core.model.ResultError;
import io.mmflow.core.model.ResultStatus;
import io.mmflow.core.model.Task;
import io.mmflow.core.model.Timing;
import io.mmflow.core.schema.DeadLetterSchema;
import io.mmflow.core.schema.FusedSchema;
import io.mmflow.core.schema.ResultSchema;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Iceberg tables in a real Hadoop-catalog warehouse, their schemas against the ones existing
 * warehouses have, and the row mappings.
 */
class IcebergTablesTest {
  static final Instant START = Instant.parse("2026-11-24T10:00:00Z");

  // The schemas as they were written by hand before they were derived from io.mmflow.core.schema:
  // the compatibility anchor of existing warehouses. A column added later is appended here with
  // its new field id; an edit that renumbers or retypes an existing field breaks those warehouses.
  static final Schema RESULTS_BEFORE =
      new Schema(
          List.of(
              required(1, "item_id", Types.StringType.get()),
              required(2, "part_id", Types.StringType.get()),
              required(3, "task", Types.StringType.get()),
              required(4, "model_version", Types.StringType.get()),
              required(5, "correlation_id", Types.StringType.get()),
              required(6, "modality", Types.StringType.get()),
              required(7, "status", Types.StringType.get()),
              optional(8, "text", Types.StringType.get()),
              optional(9, "language", Types.StringType.get()),
              optional(10, "page_count", Types.IntegerType.get()),
              optional(11, "confidence", Types.DoubleType.get()),
              optional(12, "calibration", Types.StringType.get()),
              optional(
                  13,
                  "labels",
                  Types.ListType.ofRequired(
                      30,
                      Types.StructType.of(
                          required(31, "label", Types.StringType.get()),
                          required(32, "score", Types.DoubleType.get())))),
              optional(
                  14,
                  "entities",
                  Types.ListType.ofRequired(
                      33,
                      Types.StructType.of(
                          optional(34, "text", Types.StringType.get()),
                          required(35, "type", Types.StringType.get()),
                          optional(36, "char_start", Types.IntegerType.get()),
                          optional(37, "char_end", Types.IntegerType.get()),
                          optional(38, "box_x", Types.IntegerType.get()),
                          optional(39, "box_y", Types.IntegerType.get()),
                          optional(40, "box_width", Types.IntegerType.get()),
                          optional(41, "box_height", Types.IntegerType.get()),
                          optional(42, "time_start_ms", Types.LongType.get()),
                          optional(43, "time_end_ms", Types.LongType.get()),
                          optional(44, "confidence", Types.DoubleType.get())))),
              optional(15, "embedding", Types.ListType.ofRequired(45, Types.FloatType.get())),
              required(16, "provider", Types.StringType.get()),
              required(17, "model_id", Types.StringType.get()),
              optional(18, "source_uri", Types.StringType.get()),
              optional(19, "content_sha256", Types.StringType.get()),
              required(20, "cache_hit", Types.BooleanType.get()),
              required(21, "event_time", Types.TimestampType.withZone()),
              required(22, "started_at", Types.TimestampType.withZone()),
              required(23, "finished_at", Types.TimestampType.withZone()),
              required(24, "latency_ms", Types.LongType.get()),
              required(25, "input_tokens", Types.LongType.get()),
              required(26, "output_tokens", Types.LongType.get()),
              required(27, "cost_usd", Types.DoubleType.get()),
              optional(28, "error_code", Types.StringType.get()),
              optional(29, "error_message", Types.StringType.get()),
              optional(46, "error_retryable", Types.BooleanType.get()),
              optional(
                  47,
                  "attributes",
                  Types.MapType.ofRequired(48, 49, Types.StringType.get(), Types.StringType.get())),
              required(50, "schema_version", Types.IntegerType.get()),
              optional(51, "run_id", Types.StringType.get())),
          Set.of(1, 2, 3, 4));

  static final Schema DEAD_LETTERS_BEFORE =
      new Schema(
          List.of(
              required(1, "item_id", Types.StringType.get()),
              required(2, "part_id", Types.StringType.get()),
              required(3, "stage", Types.StringType.get()),
              optional(4, "correlation_id", Types.StringType.get()),
              optional(5, "source_uri", Types.StringType.get()),
              required(6, "error_code", Types.StringType.get()),
              required(7, "error_name", Types.StringType.get()),
              required(8, "category", Types.StringType.get()),
              required(9, "message", Types.StringType.get()),
              required(10, "retryable", Types.BooleanType.get()),
              optional(11, "media_type", Types.StringType.get()),
              required(12, "size_bytes", Types.LongType.get()),
              optional(13, "content_sha256", Types.StringType.get()),
              required(14, "occurred_at", Types.TimestampType.withZone()),
              optional(15, "payload", Types.BinaryType.get()),
              optional(16, "run_id", Types.StringType.get())),
          Set.of(1, 2, 3));

  static final Schema FUSED_BEFORE =
      new Schema(
          List.of(
              required(1, "correlation_id", Types.StringType.get()),
              required(2, "window_start", Types.TimestampType.withZone()),
              required(3, "window_end", Types.TimestampType.withZone()),
              required(
                  4, "modalities_present", Types.ListType.ofRequired(16, Types.StringType.get())),
              required(
                  5, "modalities_missing", Types.ListType.ofRequired(17, Types.StringType.get())),
              optional(6, "sentiment_label", Types.StringType.get()),
              optional(7, "sentiment_score", Types.DoubleType.get()),
              optional(8, "sentiment_confidence", Types.DoubleType.get()),
              optional(
                  9,
                  "sentiment_contributing_modalities",
                  Types.ListType.ofRequired(18, Types.StringType.get())),
              optional(10, "consistency", Types.DoubleType.get()),
              required(11, "strategy", Types.StringType.get()),
              required(12, "status", Types.StringType.get()),
              required(13, "result_count", Types.IntegerType.get()),
              required(14, "fused_at", Types.TimestampType.withZone()),
              required(15, "schema_version", Types.IntegerType.get()),
              optional(19, "run_id", Types.StringType.get())),
          Set.of(1, 2));

  @Test
  void derivedSchemasAreTheSchemasOfExistingWarehouses() {
    assertSame(IcebergTables.RESULTS, RESULTS_BEFORE);
    assertSame(IcebergTables.LATE, RESULTS_BEFORE);
    assertSame(IcebergTables.DEAD_LETTERS, DEAD_LETTERS_BEFORE);
    assertSame(IcebergTables.FUSED, FUSED_BEFORE);
    assertThat(IcebergTables.RESULTS.identifierFieldIds()).isEqualTo(Set.of(1, 2, 3, 4));
    assertThat(IcebergTables.DEAD_LETTERS.identifierFieldIds()).isEqualTo(Set.of(1, 2, 3));
    assertThat(IcebergTables.FUSED.identifierFieldIds()).isEqualTo(Set.of(1, 2));

    assertThat(IcebergTables.spec(ResultSchema.TABLE, IcebergTables.RESULTS))
        .isEqualTo(PartitionSpec.builderFor(RESULTS_BEFORE).identity("task").build());
    assertThat(IcebergTables.spec(DeadLetterSchema.TABLE, IcebergTables.DEAD_LETTERS))
        .isEqualTo(PartitionSpec.unpartitioned());
    assertThat(IcebergTables.spec(FusedSchema.TABLE, IcebergTables.FUSED))
        .isEqualTo(PartitionSpec.builderFor(FUSED_BEFORE).day("window_start").build());
  }

  private static void assertSame(Schema derived, Schema before) {
    assertThat(derived.sameSchema(before)).as("derived %s%nbefore  %s", derived, before).isTrue();
    assertThat(derived.identifierFieldIds()).isEqualTo(before.identifierFieldIds());
    assertThat(derived.highestFieldId()).isEqualTo(before.highestFieldId());
  }

  @Test
  void resultRowHasEveryColumnInTableOrderWithTheTableTypes() {
    RowData row = IcebergRows.result(SinkFixtures.result("Total", "5.3"), "run-7");
    RowType type = FlinkSchemaUtil.convert(IcebergTables.RESULTS);
    assertThat(readAll(row, type)).hasSize(33);
    assertThat(row.getString(32).toString()).isEqualTo("run-7");
    assertThat(IcebergRows.result(SinkFixtures.result("Total", "5.3")).isNullAt(32)).isTrue();

    assertThat(row.getString(0).toString()).isEqualTo("item-1");
    assertThat(row.getString(1).toString()).isEqualTo("p2");
    assertThat(row.getString(2).toString()).isEqualTo("ocr");
    assertThat(row.getString(3).toString()).isEqualTo("5.3");
    assertThat(row.getString(4).toString()).isEqualTo("item-1");
    assertThat(row.getString(5).toString()).isEqualTo("ocr");
    assertThat(row.getString(6).toString()).isEqualTo("ok");
    assertThat(row.getString(7).toString()).isEqualTo("Total");
    assertThat(row.getDouble(10)).isEqualTo(0.8);
    assertThat(row.getString(11).toString()).isEqualTo("mean word confidence");
    RowData label = row.getArray(12).getRow(0, 2);
    assertThat(label.getString(0).toString()).isEqualTo("invoice");
    assertThat(label.getDouble(1)).isEqualTo(0.9);
    RowData word = row.getArray(13).getRow(0, 11);
    assertThat(word.getString(0).toString()).isEqualTo("Total");
    assertThat(word.getString(1).toString()).isEqualTo("word");
    assertThat(List.of(word.getInt(2), word.getInt(3), word.getInt(4), word.getInt(5)))
        .containsExactly(0, 5, 1, 2);
    assertThat(List.of(word.getInt(6), word.getInt(7))).containsExactly(30, 10);
    assertThat(word.isNullAt(8) && word.isNullAt(9)).isTrue();
    assertThat(word.getDouble(10)).isEqualTo(0.8);
    RowData segment = row.getArray(13).getRow(1, 11);
    assertThat(segment.isNullAt(2) && segment.isNullAt(4) && segment.isNullAt(10)).isTrue();
    assertThat(List.of(segment.getLong(8), segment.getLong(9))).containsExactly(5L, 9L);
    assertThat(row.getArray(14).toFloatArray()).containsExactly(0.5f, -0.25f);
    assertThat(row.getString(15).toString()).isEqualTo("tesseract");
    assertThat(row.getString(16).toString()).isEqualTo("eng");
    assertThat(row.getString(17).toString()).isEqualTo("s3://b/k");
    assertThat(row.getString(18).toString()).isEqualTo("ab");
    assertThat(row.getBoolean(19)).isFalse();
    assertThat(row.getTimestamp(20, 6).toInstant()).isEqualTo(SinkFixtures.T);
    assertThat(row.getTimestamp(22, 6).toInstant()).isEqualTo(SinkFixtures.T.plusMillis(40));
    assertThat(List.of(row.getLong(23), row.getLong(24), row.getLong(25)))
        .containsExactly(40L, 3L, 4L);
    assertThat(row.getDouble(26)).isEqualTo(0.001);
    MapData attributes = row.getMap(30);
    assertThat(attributes.keyArray().getString(0).toString()).isEqualTo("k");
    assertThat(attributes.valueArray().getString(0).toString()).isEqualTo("v");
    assertThat(row.getInt(31)).isEqualTo(1);
  }

  @Test
  void resultRowOfAnErrorCarriesTheCodeMessageAndRetryable() {
    ModalityResult r =
        ModalityResult.builder()
            .itemId("item-3")
            .modality(Modality.TEXT)
            .task(Task.SENTIMENT)
            .status(ResultStatus.ERROR)
            .error(ResultError.of(ErrorCode.PROVIDER_TIMEOUT, "slow"))
            .provenance(new Provenance("openai", "m", "1", null, null, false))
            .timing(Timing.of(START, START, START))
            .build();
    RowData row = IcebergRows.result(r);
    assertThat(row.getString(6).toString()).isEqualTo("error");
    assertThat(row.getString(27).toString()).isEqualTo("MMF-2004");
    assertThat(row.getString(28).toString()).isEqualTo("slow");
    assertThat(row.getBoolean(29)).isTrue();
  }

  @Test
  void resultRowLeavesOptionalColumnsNull() {
    ModalityResult r =
        ModalityResult.builder()
            .itemId("item-2")
            .modality(Modality.TEXT)
            .task(Task.SENTIMENT)
            .provenance(new Provenance("onnxruntime", "m", "1", null, null, false))
            .timing(Timing.of(START, START, START))
            .build();
    RowData row = IcebergRows.result(r);
    for (String column :
        List.of(
            "text",
            "language",
            "page_count",
            "confidence",
            "calibration",
            "embedding",
            "source_uri",
            "content_sha256",
            "error_code",
            "error_message",
            "error_retryable")) {
      int i = IcebergTables.RESULTS.columns().indexOf(IcebergTables.RESULTS.findField(column));
      assertThat(row.isNullAt(i)).as(column).isTrue();
    }
    assertThat(row.getArray(12).size()).isZero();
    assertThat(row.getMap(30).size()).isZero();
  }

  @Test
  void deadLetterRowHasEveryColumnInTableOrder() {
    DeadLetter d = SinkFixtures.deadLetter("cannot parse", new byte[] {7});
    RowData row = IcebergRows.deadLetter(d, "run-8");
    assertThat(readAll(row, FlinkSchemaUtil.convert(IcebergTables.DEAD_LETTERS))).hasSize(16);
    assertThat(row.getString(15).toString()).isEqualTo("run-8");
    assertThat(row.getString(2).toString()).isEqualTo("extract");
    assertThat(row.isNullAt(3)).isTrue();
    assertThat(row.getString(5).toString()).isEqualTo("MMF-1004");
    assertThat(row.getString(6).toString()).isEqualTo("CORRUPT_INPUT");
    assertThat(row.getString(7).toString()).isEqualTo("BAD_INPUT");
    assertThat(row.getBoolean(9)).isFalse();
    assertThat(row.getLong(11)).isEqualTo(12);
    assertThat(row.getTimestamp(13, 6).toInstant()).isEqualTo(SinkFixtures.T);
    assertThat(row.getBinary(14)).containsExactly(7);
  }

  /** Every field read through the getter of its table type (a wrong Java type would throw). */
  private static List<Object> readAll(RowData row, RowType type) {
    assertThat(row.getArity()).isEqualTo(type.getFieldCount());
    List<Object> fields = new ArrayList<>();
    for (int i = 0; i < type.getFieldCount(); i++) {
      fields.add(RowData.createFieldGetter(type.getTypeAt(i), i).getFieldOrNull(row));
    }
    return fields;
  }

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
    config.set(IcebergOptions.CATALOG_TYPE, IcebergOptions.CatalogType.HADOOP);
    config.set(IcebergOptions.WAREHOUSE, dir.toUri().toString());
    config.set(IcebergOptions.LATE_TABLE, "too_late");
    IcebergTables.ensureTables(config);
    IcebergTables.ensureTables(config); // idempotent

    Catalog catalog = IcebergTables.catalogLoader(config).loadCatalog();
    assertThat(IcebergTables.fusedTable(config).toString()).isEqualTo("mmflow.fused_results");
    assertThat(IcebergTables.lateTable(config).toString()).isEqualTo("mmflow.too_late");

    Table fused = catalog.loadTable(IcebergTables.fusedTable(config));
    // the columns, in order and with their types, that the sink's rows have (Iceberg numbers the
    // fields of a new table itself: nested ids after the top-level ones)
    assertThat(FlinkSchemaUtil.convert(fused.schema()))
        .isEqualTo(FlinkSchemaUtil.convert(IcebergTables.FUSED));
    assertThat(fused.schema().identifierFieldNames())
        .containsExactlyInAnyOrder("correlation_id", "window_start");
    assertThat(IcebergTables.FUSED_KEY).containsExactly("correlation_id", "window_start");
    assertThat(fused.spec().fields()).hasSize(1);
    assertThat(fused.spec().fields().get(0).transform().toString()).isEqualTo("day");
    assertThat(fused.schema().findColumnName(fused.spec().fields().get(0).sourceId()))
        .isEqualTo("window_start");
    assertThat(((HasTableOperations) fused).operations().current().formatVersion()).isEqualTo(2);
    assertThat(fused.properties())
        .containsEntry("write.upsert.enabled", "true")
        .containsEntry("write.parquet.dict-size-bytes", "8192");
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
  void tablesWrittenBeforeRunIdsGainTheColumnInPlaceKeepingTheirRowsAndKey(@TempDir Path dir) {
    Configuration config = new Configuration();
    config.set(IcebergOptions.CATALOG_TYPE, IcebergOptions.CatalogType.HADOOP);
    config.set(IcebergOptions.WAREHOUSE, dir.toUri().toString());
    Catalog catalog = IcebergTables.catalogLoader(config).loadCatalog();
    Schema withoutRunId =
        new Schema(
            RESULTS_BEFORE.columns().stream().filter(f -> !f.name().equals("run_id")).toList(),
            RESULTS_BEFORE.identifierFieldIds());
    Table before =
        catalog.createTable(
            IcebergTables.resultsTable(config),
            withoutRunId,
            PartitionSpec.builderFor(withoutRunId).identity("task").build());
    assertThat(before.schema().findField("run_id")).isNull();

    IcebergTables.ensureTables(config);
    IcebergTables.ensureTables(config); // idempotent: no second column, no further commit

    Table after = catalog.loadTable(IcebergTables.resultsTable(config));
    assertThat(after.schema().findField("run_id").isOptional()).isTrue();
    // a table made before the dictionary limit gets it; one that chose its own keeps it
    assertThat(after.properties()).containsEntry("write.parquet.dict-size-bytes", "8192");
    after.updateProperties().set("write.parquet.dict-size-bytes", "65536").commit();
    IcebergTables.ensureTables(config);
    assertThat(catalog.loadTable(IcebergTables.resultsTable(config)).properties())
        .containsEntry("write.parquet.dict-size-bytes", "65536");
    assertThat(after.schema().findField("run_id").type()).isEqualTo(Types.StringType.get());
    assertThat(after.schema().columns()).hasSize(IcebergTables.RESULTS.columns().size());
    assertThat(after.schema().identifierFieldNames())
        .isEqualTo(Set.copyOf(IcebergTables.RESULTS_KEY));
    assertThat(after.schemas()).hasSize(2);
  }

  @Test
  void fusedRowHasEveryColumnInTableOrderWithTheTableTypes() {
    RowData row =
        IcebergRows.fused(
            fused(new OverallSentiment("negative", 0.75, 0.5, List.of(Modality.AUDIO)), 0.25),
            "run-9");

    assertThat(readAll(row, FlinkSchemaUtil.convert(IcebergTables.FUSED))).hasSize(16);
    assertThat(row.getString(15).toString()).isEqualTo("run-9");

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

  /**
   * The default catalog: a JDBC catalog in the serving PostgreSQL (what Trino reads). A warehouse a
   * Hadoop catalog wrote before is taken over once, its history kept, and a Hadoop catalog over it
   * afterwards is refused; without Postgres and a catalog database the warehouse alone (Hadoop)
   * serves; a JDBC catalog whose database is not known says what to set.
   */
  @Test
  void theDefaultCatalogIsSharedInPostgresAndTakesOverAHadoopWarehouse(@TempDir Path dir)
      throws Exception {
    Configuration hadoop = new Configuration();
    hadoop.set(IcebergOptions.CATALOG_TYPE, IcebergOptions.CatalogType.HADOOP);
    hadoop.set(IcebergOptions.WAREHOUSE, dir.toUri().toString());
    assertThat(IcebergTables.ensureTables(hadoop)).isEmpty();
    Table before =
        IcebergTables.catalogLoader(hadoop)
            .loadCatalog()
            .loadTable(IcebergTables.resultsTable(hadoop));
    before.updateProperties().set("mmflow.test", "kept").commit(); // history to carry over

    Configuration noDatabase = new Configuration();
    noDatabase.set(PostgresOptions.ENABLED, false);
    assertThat(IcebergTables.catalogType(noDatabase)).isEqualTo(IcebergOptions.CatalogType.HADOOP);
    Configuration unknown = new Configuration();
    unknown.set(IcebergOptions.WAREHOUSE, dir.toUri().toString());
    assertThat(IcebergTables.catalogType(unknown)).isEqualTo(IcebergOptions.CatalogType.JDBC);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> IcebergTables.catalogLoader(unknown))
        .hasMessageContaining(PostgresOptions.URL.key())
        .hasMessageContaining("catalog-type=hadoop");

    try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(null, 0)) {
      Configuration jdbc = new Configuration();
      jdbc.set(IcebergOptions.WAREHOUSE, dir.toUri().toString());
      jdbc.set(PostgresOptions.URL, postgres.jdbcUrl());
      assertThat(IcebergTables.catalogProperties(jdbc))
          .containsEntry("uri", postgres.jdbcUrl())
          .containsEntry("jdbc.schema-version", "V1");
      // the four tables of the Hadoop warehouse, registered once
      assertThat(IcebergTables.ensureTables(jdbc))
          .containsExactlyInAnyOrder(
              IcebergTables.resultsTable(jdbc),
              IcebergTables.deadLetterTable(jdbc),
              IcebergTables.fusedTable(jdbc),
              IcebergTables.lateTable(jdbc));
      assertThat(IcebergTables.ensureTables(jdbc)).isEmpty();
      Catalog catalog = IcebergTables.catalogLoader(jdbc).loadCatalog();
      assertThat(catalog.getClass().getName()).isEqualTo(IcebergTables.JDBC_CATALOG);
      Table after = catalog.loadTable(IcebergTables.resultsTable(jdbc));
      assertThat(after.properties()).containsEntry("mmflow.test", "kept");
      assertThat(after.location()).isEqualTo(before.location());
      // from now on a Hadoop catalog over the folder would fork the history: refused
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> IcebergTables.ensureTables(hadoop))
          .hasMessageContaining("second history")
          .hasMessageContaining(PostgresOptions.ENABLED.key());
    }
  }
}
