package io.mmflow.jobs.sql;

import io.mmflow.connectors.sink.iceberg.IcebergTables;
import io.mmflow.core.config.IcebergOptions;
import io.mmflow.core.config.MmflowConfig;
import io.mmflow.core.config.ModelOptions;
import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.jobs.runtime.JobEnvironment;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;

/**
 * A Flink SQL session on mmflow's configuration: the mmflow module loaded with the run's settings,
 * mmflow's models in catalog {@code ml}, and, when Iceberg output is on, the catalog of the jobs'
 * tables registered and in use (the tables created as a job creates them, when they are not there
 * yet). What {@code bin/mmflow sql} and {@code bin/mmflow query iceberg} run their statements in.
 */
public final class SqlEnvironment {
  private SqlEnvironment() {}

  /**
   * The catalog of mmflow's models ({@code ML_PREDICT(..., MODEL ml.mmflow.sentiment_en, ...)}).
   */
  public static final String MODELS_CATALOG = "ml";

  /**
   * A table environment in batch (bounded queries) or streaming mode, its jobs on a MiniCluster in
   * this JVM or, with target remote, on the cluster at {@code mmflow.runtime.remote-address} with
   * the job jar (which brings the module, the connectors and the models' runtimes).
   */
  public static TableEnvironment open(Configuration conf, boolean streaming) {
    EnvironmentSettings.Builder settings = EnvironmentSettings.newInstance();
    settings = streaming ? settings.inStreamingMode() : settings.inBatchMode();
    TableEnvironment sql = TableEnvironment.create(settings.withConfiguration(flink(conf)).build());
    sql.executeSql(loadModuleSql(conf));
    sql.executeSql(createModelsCatalogSql(conf));
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

  /** Where the session's jobs run: the Flink settings of target remote; none for local. */
  static Configuration flink(Configuration conf) {
    Configuration flink = new Configuration();
    if (conf.get(RuntimeOptions.TARGET) == RuntimeOptions.Target.REMOTE) {
      JobEnvironment.RemoteCluster cluster = JobEnvironment.remoteCluster(conf);
      flink.set(DeploymentOptions.TARGET, "remote");
      flink.set(RestOptions.ADDRESS, cluster.host());
      flink.set(RestOptions.PORT, cluster.port());
      flink.set(PipelineOptions.JARS, List.of(Path.of(cluster.jar()).toUri().toString()));
    }
    return flink;
  }

  /**
   * {@code CREATE CATALOG ml WITH ('type' = 'mmflow', ...)}: the registry's models, Tesseract and,
   * with a providers file, the remote tasks, as models of database {@code mmflow}, with this run's
   * mmflow settings.
   */
  public static String createModelsCatalogSql(Configuration conf) {
    StringBuilder options = new StringBuilder("'type' = 'mmflow'");
    options.append(", 'registry' = ").append(quote(conf.get(ModelOptions.REGISTRY)));
    conf.toMap()
        .forEach(
            (k, v) -> {
              if (k.startsWith("mmflow.")) {
                options.append(", ").append(quote(k)).append(" = ").append(quote(v));
              }
            });
    return "CREATE CATALOG `" + MODELS_CATALOG + "` WITH (" + options + ")";
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
