package io.mmflow.jobs.runtime;

import io.mmflow.connectors.embedded.EmbeddedPostgresServer;
import io.mmflow.connectors.postgres.PostgresConnection;
import io.mmflow.core.config.PostgresOptions;
import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;

/**
 * The serving PostgreSQL of a local run: the configured URL, or an embedded server whose data lives
 * in {@code <data-dir>/postgres} and so persists between runs.
 */
public final class ServingDatabase implements AutoCloseable {
  private final EmbeddedPostgresServer embedded;
  private final PostgresConnection connection;

  /** The URL of the embedded database this run uses, started here or already running. */
  private final String embeddedUrl;

  private ServingDatabase(
      EmbeddedPostgresServer embedded, PostgresConnection connection, String embeddedUrl) {
    this.embedded = embedded;
    this.connection = connection;
    this.embeddedUrl = embeddedUrl;
  }

  /** Opens the configured database; null connection when Postgres output is disabled. */
  public static ServingDatabase open(Configuration config) {
    if (!config.get(PostgresOptions.ENABLED)) {
      return new ServingDatabase(null, null, null);
    }
    if (config.getOptional(PostgresOptions.URL).isPresent()) {
      return new ServingDatabase(null, PostgresConnection.fromConfig(config, null), null);
    }
    if (config.get(RuntimeOptions.TARGET) == RuntimeOptions.Target.REMOTE) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "a remote Flink cluster cannot reach the embedded PostgreSQL: set "
              + PostgresOptions.URL.key()
              + " to a database the cluster reaches (it also holds the Iceberg catalog), or, for"
              + " statements that read and write no tables, -D "
              + PostgresOptions.ENABLED.key()
              + "=false -D mmflow.iceberg.enabled=false");
    }
    // the embedded database another mmflow command has running (bin/mmflow trino, a job, sql):
    // used as it is, so that they can run side by side on the one data folder
    String running =
        "jdbc:postgresql://localhost:" + config.get(PostgresOptions.EMBEDDED_PORT) + "/postgres";
    if (answers(running)) {
      String url = running + "?user=postgres";
      return new ServingDatabase(null, PostgresConnection.fromConfig(config, url), url);
    }
    Path dataDir =
        Path.of(config.get(RuntimeOptions.DATA_DIR)).toAbsolutePath().resolve("postgres");
    EmbeddedPostgresServer server =
        EmbeddedPostgresServer.start(dataDir, config.get(PostgresOptions.EMBEDDED_PORT));
    return new ServingDatabase(
        server, PostgresConnection.fromConfig(config, server.jdbcUrl()), server.jdbcUrl());
  }

  /** Whether an embedded-style PostgreSQL (user postgres, no password) answers at {@code url}. */
  private static boolean answers(String url) {
    java.util.Properties p = new java.util.Properties();
    p.setProperty("user", "postgres");
    p.setProperty("connectTimeout", "2");
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, p)) {
      return c.isValid(2);
    } catch (java.sql.SQLException notRunning) {
      return false;
    }
  }

  /**
   * {@code config} as the job's operators should see it: with the embedded database's URL, so that
   * those that use the serving PostgreSQL themselves (the remote answer cache) find it.
   */
  public Configuration jobConfiguration(Configuration config) {
    if (embeddedUrl == null || config.getOptional(PostgresOptions.URL).isPresent()) {
      return config;
    }
    Configuration out = new Configuration(config);
    out.set(PostgresOptions.URL, embeddedUrl);
    return out;
  }

  /** The connection, or null when Postgres output is disabled. */
  public PostgresConnection connection() {
    return connection;
  }

  @Override
  public void close() {
    if (embedded != null) {
      embedded.close();
    }
  }
}
