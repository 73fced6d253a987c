package io.mmflow.connectors.sink.iceberg;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

import io.mmflow.core.config.IcebergOptions;
import io.mmflow.core.config.MmflowConfig;
import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.types.Types;

/**
 * The Iceberg tables of mmflow: their schemas (mirroring docs/schema.md), the catalog they live in,
 * and their creation. All tables are format v2 with identifier fields, so the Flink sink writes
 * them in upsert mode: a replayed or re-run key replaces its row instead of adding one.
 */
public final class IcebergTables {
  /** Results: one row per (item, part, task, model version); partitioned by task. */
  public static final Schema RESULTS =
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
              required(50, "schema_version", Types.IntegerType.get())),
          Set.of(1, 2, 3, 4));

  public static final List<String> RESULTS_KEY =
      List.of("item_id", "part_id", "task", "model_version");

  /** Dead letters: one row per (item, part, stage). Low volume, so not partitioned. */
  public static final Schema DEAD_LETTERS =
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
              optional(15, "payload", Types.BinaryType.get())),
          Set.of(1, 2, 3));

  public static final List<String> DEAD_LETTERS_KEY = List.of("item_id", "part_id", "stage");

  /**
   * Fused results: one row per (correlation id, window start), {@link
   * io.mmflow.core.model.FusedResult} with the sentiment flattened into {@code sentiment_*}
   * columns; partitioned by the day of the window start.
   */
  public static final Schema FUSED =
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
              required(15, "schema_version", Types.IntegerType.get())),
          Set.of(1, 2));

  public static final List<String> FUSED_KEY = List.of("correlation_id", "window_start");

  /**
   * Late results: results that came after their fusion window closed. The same schema, key and
   * partitioning as {@link #RESULTS}, so the rows read like results.
   */
  public static final Schema LATE = RESULTS;

  public static final List<String> LATE_KEY = RESULTS_KEY;

  private IcebergTables() {}

  /** The catalog loader for the configured catalog type. */
  public static CatalogLoader catalogLoader(Configuration config) {
    String name = config.get(IcebergOptions.CATALOG_NAME);
    Map<String, String> props = new HashMap<>(MmflowConfig.icebergCatalogProperties(config));
    props.put("warehouse", warehouse(config));
    org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration();
    return switch (config.get(IcebergOptions.CATALOG_TYPE)) {
      case HADOOP -> CatalogLoader.hadoop(name, hadoop, props);
      case REST -> CatalogLoader.rest(name, hadoop, props);
      case JDBC -> CatalogLoader.custom(name, props, hadoop, "org.apache.iceberg.jdbc.JdbcCatalog");
    };
  }

  /** The warehouse location: the option, else {@code <data-dir>/warehouse} as an absolute URI. */
  public static String warehouse(Configuration config) {
    return config
        .getOptional(IcebergOptions.WAREHOUSE)
        .orElseGet(
            () ->
                Paths.get(config.get(RuntimeOptions.DATA_DIR), "warehouse")
                    .toAbsolutePath()
                    .toUri()
                    .toString());
  }

  public static TableIdentifier resultsTable(Configuration config) {
    return TableIdentifier.of(
        Namespace.of(config.get(IcebergOptions.NAMESPACE)),
        config.get(IcebergOptions.RESULTS_TABLE));
  }

  public static TableIdentifier deadLetterTable(Configuration config) {
    return TableIdentifier.of(
        Namespace.of(config.get(IcebergOptions.NAMESPACE)),
        config.get(IcebergOptions.DEAD_LETTER_TABLE));
  }

  public static TableIdentifier fusedTable(Configuration config) {
    return TableIdentifier.of(
        Namespace.of(config.get(IcebergOptions.NAMESPACE)), config.get(IcebergOptions.FUSED_TABLE));
  }

  public static TableIdentifier lateTable(Configuration config) {
    return TableIdentifier.of(
        Namespace.of(config.get(IcebergOptions.NAMESPACE)), config.get(IcebergOptions.LATE_TABLE));
  }

  /** The partitioning of results and late results: by task. */
  static PartitionSpec resultsSpec(Schema schema) {
    return PartitionSpec.builderFor(schema).identity("task").build();
  }

  /** The partitioning of fused results: by the day of the window start (part of the key). */
  static PartitionSpec fusedSpec() {
    return PartitionSpec.builderFor(FUSED).day("window_start").build();
  }

  /** Creates the namespace and the tables when missing; returns nothing, loads nothing else. */
  public static void ensureTables(Configuration config) {
    Catalog catalog = catalogLoader(config).loadCatalog();
    try {
      Namespace ns = Namespace.of(config.get(IcebergOptions.NAMESPACE));
      if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(ns)) {
        try {
          namespaces.createNamespace(ns);
        } catch (AlreadyExistsException raced) {
          // another job created it first
        }
      }
      ensure(catalog, resultsTable(config), RESULTS, resultsSpec(RESULTS));
      ensure(catalog, deadLetterTable(config), DEAD_LETTERS, PartitionSpec.unpartitioned());
      ensure(catalog, fusedTable(config), FUSED, fusedSpec());
      ensure(catalog, lateTable(config), LATE, resultsSpec(LATE));
    } catch (RuntimeException e) {
      throw new MmflowException(
          ErrorCode.SINK_WRITE_FAILED,
          "cannot prepare the Iceberg tables in " + warehouse(config) + ": " + e.getMessage(),
          e);
    } finally {
      if (catalog instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception ignored) {
          // nothing to do
        }
      }
    }
  }

  private static Table ensure(
      Catalog catalog, TableIdentifier id, Schema schema, PartitionSpec spec) {
    if (catalog.tableExists(id)) {
      return catalog.loadTable(id);
    }
    Map<String, String> props =
        Map.of(
            TableProperties.FORMAT_VERSION, "2",
            TableProperties.UPSERT_ENABLED, "true",
            TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true",
            TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "50");
    try {
      return catalog.createTable(id, schema, spec, props);
    } catch (AlreadyExistsException raced) {
      return catalog.loadTable(id);
    }
  }
}
