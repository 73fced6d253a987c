package io.mmflow.jobs.trino;

import io.mmflow.connectors.sink.iceberg.IcebergTables;
import io.mmflow.core.config.IcebergOptions;
import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.jobs.runtime.ServingDatabase;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * Trino on the embedded defaults: the serving PostgreSQL that holds the shared Iceberg catalog
 * (started when it is the embedded one), the jobs' tables (created when no job has run yet), and a
 * Trino server whose catalog {@code mmflow.iceberg.catalog-name} reads them. What {@code bin/mmflow
 * query trino} and {@code bin/mmflow trino} run; closing it stops what it started.
 */
public final class TrinoSession implements AutoCloseable {
  /**
   * How long Trino may take to answer its first query (about 20 s here, 30 s on a busy machine).
   */
  static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  /** The variable of Trino's environment that holds the catalog database's password. */
  static final String PASSWORD_ENV = "MMFLOW_TRINO_CATALOG_PASSWORD";

  private final ServingDatabase database;
  private final TrinoServer server;

  private TrinoSession(ServingDatabase database, TrinoServer server) {
    this.database = database;
    this.server = server;
  }

  /** Starts what is needed; {@code port} 0 for a free one. */
  public static TrinoSession open(Configuration given, int port, PrintStream out)
      throws IOException, InterruptedException {
    ServingDatabase database = ServingDatabase.open(given);
    try {
      Configuration config = database.jobConfiguration(given);
      IcebergTables.ensureTables(config);
      // the catalog database's password, if any, reaches Trino through its environment
      String password = IcebergTables.catalogProperties(config).get("jdbc.password");
      TrinoServer server =
          TrinoServer.start(
              config
                  .getOptional(RuntimeOptions.TRINO_DIR)
                  .map(Path::of)
                  .orElse(Path.of(config.get(RuntimeOptions.DATA_DIR)).resolve("trino"))
                  .toAbsolutePath(),
              Path.of(config.get(RuntimeOptions.DATA_DIR))
                  .toAbsolutePath()
                  .resolve("trino/instance"),
              config.get(IcebergOptions.CATALOG_NAME),
              TrinoCatalog.properties(
                  config, password == null ? null : "${ENV:" + PASSWORD_ENV + "}"),
              password == null ? Map.of() : Map.of(PASSWORD_ENV, password),
              "SELECT count(*) FROM "
                  + config.get(IcebergOptions.CATALOG_NAME)
                  + "."
                  + IcebergTables.resultsTable(config),
              port,
              START_TIMEOUT,
              out);
      return new TrinoSession(database, server);
    } catch (IOException | InterruptedException | RuntimeException e) {
      database.close();
      throw e;
    }
  }

  public TrinoServer server() {
    return server;
  }

  @Override
  public void close() {
    server.close();
    database.close();
  }
}
