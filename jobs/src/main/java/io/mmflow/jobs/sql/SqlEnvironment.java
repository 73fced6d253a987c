package io.mmflow.jobs.sql;

import io.mmflow.connectors.sink.iceberg.IcebergTables;
import io.mmflow.core.config.IcebergOptions;
import io.mmflow.core.config.MmflowConfig;
import io.mmflow.core.config.ModelOptions;
import io.mmflow.core.config.PostgresOptions;
import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.jobs.runtime.JobEnvironment;
import io.mmflow.jobs.runtime.ServingDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.catalog.CatalogDescriptor;

/**
 * A Flink SQL session on mmflow's configuration: the mmflow module loaded with the run's settings,
 * mmflow's models in catalog {@code ml}, and, when Iceberg output is on, the catalog of the jobs'
 * tables registered and in use (the tables created as a job creates them, when they are not there
 * yet), with the serving PostgreSQL that holds that catalog started for the session when it is the
 * embedded one. What {@code bin/mmflow sql} and {@code bin/mmflow query iceberg} run their
 * statements in; closing it stops what it started.
 */
public final class SqlEnvironment implements AutoCloseable {
  /**
   * The catalog of mmflow's models ({@code ML_PREDICT(..., MODEL ml.mmflow.sentiment_en, ...)}).
   */
  public static final String MODELS_CATALOG = "ml";

  private final TableEnvironment tables;
  private final ServingDatabase database;

  private SqlEnvironment(TableEnvironment tables, ServingDatabase database) {
    this.tables = tables;
    this.database = database;
  }

  /**
   * A session in batch (bounded queries) or streaming mode, its jobs on a MiniCluster in this JVM
   * or, with target remote, on the cluster at {@code mmflow.runtime.remote-address} with the job
   * jar (which brings the module, the connectors and the models' runtimes).
   */
  public static SqlEnvironment open(Configuration given, boolean streaming) {
    boolean iceberg = given.get(IcebergOptions.ENABLED);
    // the shared catalog lives in the serving PostgreSQL: start the embedded one if it is that
    ServingDatabase database =
        iceberg && needsServingDatabase(given) ? ServingDatabase.open(given) : null;
    Configuration conf = database == null ? given : database.jobConfiguration(given);
    try {
      EnvironmentSettings.Builder settings = EnvironmentSettings.newInstance();
      settings = streaming ? settings.inStreamingMode() : settings.inBatchMode();
      TableEnvironment sql =
          TableEnvironment.create(settings.withConfiguration(flink(conf)).build());
      sql.executeSql(loadModuleSql(conf));
      sql.createCatalog(MODELS_CATALOG, modelsCatalog(conf));
      if (iceberg) {
        // the tables a job would create, so that a first INSERT INTO results needs no job before
        IcebergTables.ensureTables(conf);
        String name = conf.get(IcebergOptions.CATALOG_NAME);
        sql.createCatalog(name, icebergCatalog(conf));
        sql.useCatalog(name);
        sql.executeSql(
            "CREATE DATABASE IF NOT EXISTS `" + conf.get(IcebergOptions.NAMESPACE) + "`");
        sql.useDatabase(conf.get(IcebergOptions.NAMESPACE));
      }
      return new SqlEnvironment(sql, database);
    } catch (RuntimeException e) {
      if (database != null) {
        database.close();
      }
      throw e;
    }
  }

  /** Whether the catalog is a JDBC catalog in a serving PostgreSQL that is not running yet. */
  private static boolean needsServingDatabase(Configuration conf) {
    return IcebergTables.catalogType(conf) == IcebergOptions.CatalogType.JDBC
        && !MmflowConfig.icebergCatalogProperties(conf).containsKey("uri")
        && conf.getOptional(PostgresOptions.URL).isEmpty();
  }

  /** The session's tables, functions and models. */
  public TableEnvironment tables() {
    return tables;
  }

  @Override
  public void close() {
    if (database != null) {
      database.close();
    }
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
   * Catalog type {@code mmflow}: the registry's models, Tesseract and, with a providers file, the
   * remote tasks, as models of database {@code mmflow}, with this run's mmflow settings (no
   * passwords: the models need none).
   */
  static CatalogDescriptor modelsCatalog(Configuration conf) {
    Configuration options = new Configuration();
    options.setString("type", "mmflow");
    options.setString("registry", conf.get(ModelOptions.REGISTRY));
    conf.toMap()
        .forEach(
            (k, v) -> {
              if (k.startsWith("mmflow.") && !k.toLowerCase(Locale.ROOT).contains("password")) {
                options.setString(k, v);
              }
            });
    return CatalogDescriptor.of(MODELS_CATALOG, options);
  }

  /**
   * The Iceberg catalog of the jobs' tables, as the jobs' sinks see it ({@link
   * IcebergTables#catalogProperties}): a JDBC catalog by its class, Hadoop and REST by type.
   */
  static CatalogDescriptor icebergCatalog(Configuration conf) {
    Configuration options = new Configuration();
    options.setString("type", "iceberg");
    if (IcebergTables.catalogType(conf) == IcebergOptions.CatalogType.JDBC) {
      options.setString("catalog-impl", IcebergTables.JDBC_CATALOG);
    } else {
      options.setString(
          "catalog-type", IcebergTables.catalogType(conf).name().toLowerCase(Locale.ROOT));
    }
    IcebergTables.catalogProperties(conf).forEach(options::setString);
    return CatalogDescriptor.of(conf.get(IcebergOptions.CATALOG_NAME), options);
  }

  /**
   * {@code LOAD MODULE mmflow} with this run's mmflow settings, so the functions read documents as
   * the jobs of the same configuration do. The remote providers' settings and passwords stay out of
   * it.
   */
  public static String loadModuleSql(Configuration conf) {
    StringBuilder options = new StringBuilder();
    conf.toMap()
        .forEach(
            (k, v) -> {
              if (k.startsWith("mmflow.")
                  && !k.startsWith("mmflow.remote.")
                  && !k.toLowerCase(Locale.ROOT).contains("password")) {
                options.append(options.length() == 0 ? "" : ", ");
                options.append(quote(k)).append(" = ").append(quote(v));
              }
            });
    return "LOAD MODULE mmflow" + (options.length() == 0 ? "" : " WITH (" + options + ")");
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
