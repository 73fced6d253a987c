package io.mmflow.jobs.sql;

import io.mmflow.connectors.sink.iceberg.IcebergTables;
import io.mmflow.core.config.IcebergOptions;
import io.mmflow.core.config.MmflowConfig;
import java.util.Locale;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;

/**
 * A Flink SQL session on mmflow's configuration: the mmflow module loaded with the run's settings,
 * and, when Iceberg output is on, the catalog of the jobs' tables registered and in use (the tables
 * created as a job creates them, when they are not there yet). What {@code bin/mmflow sql} and
 * {@code bin/mmflow query iceberg} run their statements in.
 */
public final class SqlEnvironment {
  private SqlEnvironment() {}

  /** A table environment in batch (bounded queries) or streaming mode. */
  public static TableEnvironment open(Configuration conf, boolean streaming) {
    TableEnvironment sql =
        TableEnvironment.create(
            streaming ? EnvironmentSettings.inStreamingMode() : EnvironmentSettings.inBatchMode());
    sql.executeSql(loadModuleSql(conf));
    if (conf.get(IcebergOptions.ENABLED)) {
      // the tables a job would create, so that a first INSERT INTO results needs no job before it
      IcebergTables.ensureTables(conf);
      sql.executeSql(createCatalogSql(conf));
      sql.executeSql("USE CATALOG `" + conf.get(IcebergOptions.CATALOG_NAME) + "`");
      sql.executeSql("CREATE DATABASE IF NOT EXISTS `" + conf.get(IcebergOptions.NAMESPACE) + "`");
      sql.executeSql("USE `" + conf.get(IcebergOptions.NAMESPACE) + "`");
    }
    return sql;
  }

  /**
   * {@code LOAD MODULE mmflow} with this run's mmflow settings, so the functions read documents as
   * the jobs of the same configuration do. The remote providers' settings stay out of it.
   */
  public static String loadModuleSql(Configuration conf) {
    StringBuilder options = new StringBuilder();
    conf.toMap()
        .forEach(
            (k, v) -> {
              if (k.startsWith("mmflow.") && !k.startsWith("mmflow.remote.")) {
                options.append(options.length() == 0 ? "" : ", ");
                options.append(quote(k)).append(" = ").append(quote(v));
              }
            });
    return "LOAD MODULE mmflow" + (options.length() == 0 ? "" : " WITH (" + options + ")");
  }

  /** The Flink SQL statement registering the mmflow Iceberg catalog. */
  public static String createCatalogSql(Configuration conf) {
    StringBuilder props = new StringBuilder("'type'='iceberg'");
    props
        .append(", 'catalog-type'='")
        .append(conf.get(IcebergOptions.CATALOG_TYPE).name().toLowerCase(Locale.ROOT))
        .append("'");
    props.append(", 'warehouse'='").append(IcebergTables.warehouse(conf)).append("'");
    MmflowConfig.icebergCatalogProperties(conf)
        .forEach((k, v) -> props.append(", '").append(k).append("'='").append(v).append("'"));
    return "CREATE CATALOG `" + conf.get(IcebergOptions.CATALOG_NAME) + "` WITH (" + props + ")";
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
