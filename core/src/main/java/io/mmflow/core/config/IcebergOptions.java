package io.mmflow.core.config;

import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** The Iceberg tables results land in. */
public final class IcebergOptions {
  /** Properties under this prefix are handed to the Iceberg catalog as they are. */
  public static final String CATALOG_PROPERTY_PREFIX = "mmflow.iceberg.catalog.";

  public enum CatalogType {
    HADOOP,
    JDBC,
    REST
  }

  public static final ConfigOption<Boolean> ENABLED =
      ConfigOptions.key("mmflow.iceberg.enabled")
          .booleanType()
          .defaultValue(true)
          .withDescription(
              "Write results, dead letters and the fusion's fused and late results to Iceberg"
                  + " tables.");

  public static final ConfigOption<CatalogType> CATALOG_TYPE =
      ConfigOptions.key("mmflow.iceberg.catalog-type")
          .enumType(CatalogType.class)
          .noDefaultValue()
          .withDescription(
              "jdbc: a JDBC catalog, unless mmflow.iceberg.catalog.uri names another database in"
                  + " the serving PostgreSQL (embedded or mmflow.postgres.url), which Trino reads"
                  + " too; hadoop: tables in a warehouse folder only (no catalog database; Trino"
                  + " cannot read it); rest: an Iceberg REST catalog. Unset: jdbc, or hadoop when"
                  + " mmflow.postgres.enabled is false and no catalog uri is given. Catalog"
                  + " properties (uri, jdbc.user, ...) go under mmflow.iceberg.catalog.*");

  public static final ConfigOption<String> WAREHOUSE =
      ConfigOptions.key("mmflow.iceberg.warehouse")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Warehouse location (folder or URI); defaults to <mmflow.runtime.data-dir>/warehouse.");

  public static final ConfigOption<String> CATALOG_NAME =
      ConfigOptions.key("mmflow.iceberg.catalog-name")
          .stringType()
          .defaultValue("mmflow")
          .withDescription("Name of the Iceberg catalog, as Flink SQL and Trino see it.");

  public static final ConfigOption<String> NAMESPACE =
      ConfigOptions.key("mmflow.iceberg.namespace")
          .stringType()
          .defaultValue("mmflow")
          .withDescription("Namespace (database) of the tables.");

  public static final ConfigOption<String> RESULTS_TABLE =
      ConfigOptions.key("mmflow.iceberg.results-table")
          .stringType()
          .defaultValue("results")
          .withDescription("Table of ModalityResults.");

  public static final ConfigOption<String> DEAD_LETTER_TABLE =
      ConfigOptions.key("mmflow.iceberg.dead-letter-table")
          .stringType()
          .defaultValue("dead_letters")
          .withDescription("Table of dead letters.");

  public static final ConfigOption<String> FUSED_TABLE =
      ConfigOptions.key("mmflow.iceberg.fused-table")
          .stringType()
          .defaultValue("fused_results")
          .withDescription("Table of FusedResults: one row per correlation id and window.");

  public static final ConfigOption<String> LATE_TABLE =
      ConfigOptions.key("mmflow.iceberg.late-table")
          .stringType()
          .defaultValue("late_results")
          .withDescription(
              "Table of ModalityResults that arrived too late for their fusion window (same"
                  + " columns as the results table).");

  public static final ConfigOption<String> JOB_RUNS_TABLE =
      ConfigOptions.key("mmflow.iceberg.job-runs-table")
          .stringType()
          .defaultValue("job_runs")
          .withDescription("Table of the jobs' runs: one row per run, written when it ends.");

  private IcebergOptions() {}

  public static List<ConfigOption<?>> all() {
    return List.of(
        ENABLED,
        CATALOG_TYPE,
        WAREHOUSE,
        CATALOG_NAME,
        NAMESPACE,
        RESULTS_TABLE,
        DEAD_LETTER_TABLE,
        FUSED_TABLE,
        LATE_TABLE,
        JOB_RUNS_TABLE);
  }
}
