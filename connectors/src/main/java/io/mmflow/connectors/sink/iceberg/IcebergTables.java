package io.mmflow.connectors.sink.iceberg;

import io.mmflow.connectors.postgres.PostgresConnection;
import io.mmflow.core.config.IcebergOptions;
import io.mmflow.core.config.MmflowConfig;
import io.mmflow.core.config.PostgresOptions;
import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.error.SecretScrubber;
import io.mmflow.core.schema.Column;
import io.mmflow.core.schema.ColumnType;
import io.mmflow.core.schema.DeadLetterSchema;
import io.mmflow.core.schema.FusedSchema;
import io.mmflow.core.schema.JobRunSchema;
import io.mmflow.core.schema.ResultSchema;
import io.mmflow.core.schema.TableSchema;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The Iceberg tables of mmflow: their schemas (derived from the declarations in {@code
 * io.mmflow.core.schema}), the catalog they live in, and their creation. All tables are format v2
 * with identifier fields, so the Flink sink writes them in upsert mode: a replayed or re-run key
 * replaces its row instead of adding one.
 */
public final class IcebergTables {
  /** Results: one row per (item, part, task, model version); partitioned by task. */
  public static final Schema RESULTS = schema(ResultSchema.TABLE);

  public static final List<String> RESULTS_KEY = ResultSchema.TABLE.key();

  /** Dead letters: one row per (item, part, stage). Low volume, so not partitioned. */
  public static final Schema DEAD_LETTERS = schema(DeadLetterSchema.TABLE);

  public static final List<String> DEAD_LETTERS_KEY = DeadLetterSchema.TABLE.key();

  /**
   * Fused results: one row per (correlation id, window start), {@link
   * io.mmflow.core.model.FusedResult} with the sentiment flattened into {@code sentiment_*}
   * columns; partitioned by the day of the window start.
   */
  public static final Schema FUSED = schema(FusedSchema.TABLE);

  public static final List<String> FUSED_KEY = FusedSchema.TABLE.key();

  /**
   * Late results: results that came after their fusion window closed. The same schema, key and
   * partitioning as {@link #RESULTS}, so the rows read like results.
   */
  public static final Schema LATE = RESULTS;

  public static final List<String> LATE_KEY = RESULTS_KEY;

  private IcebergTables() {}

  /** The catalog loader for the configured catalog type ({@link #catalogType}). */
  public static CatalogLoader catalogLoader(Configuration config) {
    String name = config.get(IcebergOptions.CATALOG_NAME);
    Map<String, String> props = catalogProperties(config);
    org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration();
    return switch (catalogType(config)) {
      case HADOOP -> CatalogLoader.hadoop(name, hadoop, props);
      case REST -> CatalogLoader.rest(name, hadoop, props);
      case JDBC -> CatalogLoader.custom(name, props, hadoop, JDBC_CATALOG);
    };
  }

  /** The JDBC catalog class: Iceberg's, with the PostgreSQL driver loaded in the job's loader. */
  public static final String JDBC_CATALOG = SharedJdbcCatalog.class.getName();

  /**
   * The catalog type: as configured; unset, a JDBC catalog (in the serving PostgreSQL, which Trino
   * reads too) unless Postgres is disabled and no catalog database is named, then a Hadoop catalog
   * (the warehouse folder alone).
   */
  public static IcebergOptions.CatalogType catalogType(Configuration config) {
    return config
        .getOptional(IcebergOptions.CATALOG_TYPE)
        .orElse(
            config.get(PostgresOptions.ENABLED)
                    || MmflowConfig.icebergCatalogProperties(config).containsKey(JDBC_URI)
                ? IcebergOptions.CatalogType.JDBC
                : IcebergOptions.CatalogType.HADOOP);
  }

  private static final String JDBC_URI = "uri";

  /**
   * The catalog's properties: {@code mmflow.iceberg.catalog.*} and the warehouse; for a JDBC
   * catalog without its own {@code uri}, the serving PostgreSQL (its URL, user and password) and
   * the catalog schema that keeps views ({@code jdbc.schema-version} V1, as Trino expects).
   */
  public static Map<String, String> catalogProperties(Configuration config) {
    Map<String, String> props = new HashMap<>(MmflowConfig.icebergCatalogProperties(config));
    props.put("warehouse", warehouse(config));
    if (catalogType(config) == IcebergOptions.CatalogType.JDBC) {
      if (!props.containsKey(JDBC_URI)) {
        String url =
            config
                .getOptional(PostgresOptions.URL)
                .orElseThrow(
                    () ->
                        new MmflowException(
                            ErrorCode.CONFIGURATION_INVALID,
                            "the Iceberg catalog is a JDBC catalog in the serving PostgreSQL,"
                                + " which is not started here: set "
                                + PostgresOptions.URL.key()
                                + " or "
                                + IcebergOptions.CATALOG_PROPERTY_PREFIX
                                + JDBC_URI
                                + ", or read the warehouse alone with -D "
                                + IcebergOptions.CATALOG_TYPE.key()
                                + "=hadoop"));
        props.put(JDBC_URI, url);
        props.putIfAbsent("jdbc.user", config.get(PostgresOptions.USER));
        PostgresConnection.password(config).ifPresent(p -> props.putIfAbsent("jdbc.password", p));
        // the catalog's own tables in mmflow's database, with the views column Trino expects; a
        // catalog database of the user's (catalog.uri) keeps the schema it has
        props.putIfAbsent("jdbc.schema-version", "V1");
      }
    }
    return props;
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

  public static TableIdentifier jobRunsTable(Configuration config) {
    return TableIdentifier.of(
        Namespace.of(config.get(IcebergOptions.NAMESPACE)),
        config.get(IcebergOptions.JOB_RUNS_TABLE));
  }

  /** The schema of {@code job_runs}. */
  public static final Schema JOB_RUNS = schema(JobRunSchema.TABLE);

  public static TableIdentifier lateTable(Configuration config) {
    return TableIdentifier.of(
        Namespace.of(config.get(IcebergOptions.NAMESPACE)), config.get(IcebergOptions.LATE_TABLE));
  }

  /**
   * The Iceberg schema of a declared table. Field docs are left out: they are part of Iceberg's
   * schema equality, and the tables created before the declaration have none.
   */
  public static Schema schema(TableSchema<?> table) {
    List<Types.NestedField> fields = new ArrayList<>();
    for (Column<?> column : table.columns()) {
      fields.add(field(column));
    }
    Set<Integer> key = new HashSet<>();
    for (String name : table.key()) {
      key.add(table.column(name).id());
    }
    return new Schema(fields, key);
  }

  /** The partitioning of a declared table, over its schema {@code schema}. */
  public static PartitionSpec spec(TableSchema<?> table, Schema schema) {
    PartitionSpec.Builder spec = PartitionSpec.builderFor(schema);
    for (TableSchema.Partition p : table.partitioning()) {
      switch (p.transform()) {
        case IDENTITY -> spec.identity(p.column());
        case DAY -> spec.day(p.column());
      }
    }
    return spec.build();
  }

  private static Types.NestedField field(Column<?> column) {
    return Types.NestedField.of(
        column.id(), !column.required(), column.name(), type(column.type()));
  }

  private static Type type(ColumnType type) {
    if (type instanceof ColumnType.Primitive p) {
      return switch (p) {
        case STRING -> Types.StringType.get();
        case BOOLEAN -> Types.BooleanType.get();
        case INT -> Types.IntegerType.get();
        case LONG -> Types.LongType.get();
        case FLOAT -> Types.FloatType.get();
        case DOUBLE -> Types.DoubleType.get();
        case TIMESTAMP -> Types.TimestampType.withZone();
        case BINARY -> Types.BinaryType.get();
      };
    }
    if (type instanceof ColumnType.ListOf list) {
      return Types.ListType.ofRequired(list.elementId(), type(list.element()));
    }
    if (type instanceof ColumnType.MapOf map) {
      return Types.MapType.ofRequired(
          map.keyId(), map.valueId(), type(map.key()), type(map.value()));
    }
    ColumnType.StructOf struct = (ColumnType.StructOf) type;
    List<Types.NestedField> fields = new ArrayList<>();
    for (Column<?> field : struct.fields()) {
      fields.add(field(field));
    }
    return Types.StructType.of(fields);
  }

  /**
   * Creates the namespace and the tables when missing. A JDBC catalog that lacks a table whose
   * Hadoop-catalog metadata is in the warehouse (a warehouse written before the catalog was shared)
   * registers that table once, with its history, instead of creating an empty one; the answer names
   * the tables so registered, for the caller to say so.
   */
  public static List<TableIdentifier> ensureTables(Configuration config) {
    Catalog catalog = catalogLoader(config).loadCatalog();
    List<TableIdentifier> registered = new ArrayList<>();
    try {
      Namespace ns = Namespace.of(config.get(IcebergOptions.NAMESPACE));
      if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(ns)) {
        try {
          namespaces.createNamespace(ns);
        } catch (AlreadyExistsException raced) {
          // another job created it first
        }
      }
      boolean jdbc = catalogType(config) == IcebergOptions.CatalogType.JDBC;
      if (!jdbc
          && catalogType(config) == IcebergOptions.CatalogType.HADOOP
          && HadoopWarehouse.shared(config)) {
        throw new MmflowException(
            ErrorCode.CONFIGURATION_INVALID,
            "the tables in "
                + warehouse(config)
                + " are kept by the shared JDBC catalog (in the serving PostgreSQL): a Hadoop"
                + " catalog over the same folder would start a second history of them. Keep"
                + " Postgres on ("
                + PostgresOptions.ENABLED.key()
                + "=true), or name the catalog's database ("
                + IcebergOptions.CATALOG_PROPERTY_PREFIX
                + JDBC_URI
                + ")");
      }
      for (TableIdentifier id :
          List.of(
              resultsTable(config),
              deadLetterTable(config),
              fusedTable(config),
              lateTable(config))) {
        if (jdbc && !catalog.tableExists(id)) {
          HadoopWarehouse.metadata(config, id)
              .ifPresent(
                  metadata -> {
                    try {
                      catalog.registerTable(id, metadata);
                      registered.add(id);
                    } catch (AlreadyExistsException raced) {
                      // another job registered it first
                    }
                  });
        }
      }
      ensure(catalog, resultsTable(config), RESULTS, spec(ResultSchema.TABLE, RESULTS));
      ensure(
          catalog,
          deadLetterTable(config),
          DEAD_LETTERS,
          spec(DeadLetterSchema.TABLE, DEAD_LETTERS));
      ensure(catalog, fusedTable(config), FUSED, spec(FusedSchema.TABLE, FUSED));
      ensure(catalog, lateTable(config), LATE, spec(ResultSchema.TABLE, LATE));
      ensure(catalog, jobRunsTable(config), JOB_RUNS, spec(JobRunSchema.TABLE, JOB_RUNS));
      if (jdbc) {
        HadoopWarehouse.markShared(config);
      }
      return registered;
    } catch (MmflowException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new MmflowException(
          ErrorCode.SINK_WRITE_FAILED,
          "cannot prepare the Iceberg tables in "
              + warehouse(config)
              + ": "
              + SecretScrubber.scrub(String.valueOf(e.getMessage())),
          e);
    } finally {
      close(catalog);
    }
  }

  /**
   * {@code work} on the configured catalog, closed after (a JDBC catalog holds a connection pool):
   * what every reader and writer of the tables outside a job runs in.
   */
  public static <T> T withCatalog(
      Configuration config, java.util.function.Function<Catalog, T> work) {
    Catalog catalog = catalogLoader(config).loadCatalog();
    try {
      return work.apply(catalog);
    } finally {
      close(catalog);
    }
  }

  private static void close(Catalog catalog) {
    if (catalog instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception ignored) {
        // nothing to do
      }
    }
  }

  /**
   * The table {@code id}, created when missing; an existing table that lacks columns declared since
   * it was created gains them in place (Iceberg schema evolution: old rows read null there).
   */
  private static Table ensure(
      Catalog catalog, TableIdentifier id, Schema schema, PartitionSpec spec) {
    if (catalog.tableExists(id)) {
      return withDictionaryLimit(evolve(catalog.loadTable(id), schema));
    }
    Map<String, String> props =
        Map.of(
            TableProperties.FORMAT_VERSION, "2",
            TableProperties.UPSERT_ENABLED, "true",
            TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true",
            TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "50",
            TableProperties.PARQUET_DICT_SIZE_BYTES, DICTIONARY_BYTES);
    try {
      return catalog.createTable(id, schema, spec, props);
    } catch (AlreadyExistsException raced) {
      return catalog.loadTable(id);
    }
  }

  /**
   * Parquet's dictionary per column chunk, in bytes (Parquet's default: 2 MB). The result tables'
   * few-valued columns (status, modality, task, label, language, model) fit in a few hundred bytes;
   * their unique ones (ids, URIs, hashes, texts) never gain from a dictionary, and with 2 MB every
   * value of a checkpoint's file was hashed into one and then written again plain when the file
   * closed (a profile of the feeds job: most of the Iceberg writer's time). With 8 KB those columns
   * give up after a few hundred values.
   */
  static final String DICTIONARY_BYTES = "8192";

  /** Sets the dictionary limit on a table made before it was set (a choice of its own is kept). */
  static Table withDictionaryLimit(Table table) {
    if (!table.properties().containsKey(TableProperties.PARQUET_DICT_SIZE_BYTES)) {
      table
          .updateProperties()
          .set(TableProperties.PARQUET_DICT_SIZE_BYTES, DICTIONARY_BYTES)
          .commit();
    }
    return table;
  }

  /** Adds the columns of {@code declared} that {@code table} lacks, after its own. */
  static Table evolve(Table table, Schema declared) {
    boolean missing = false;
    for (Types.NestedField field : declared.columns()) {
      missing |= table.schema().findField(field.name()) == null;
    }
    if (missing) {
      table.updateSchema().unionByNameWith(declared).commit();
    }
    return table;
  }
}
