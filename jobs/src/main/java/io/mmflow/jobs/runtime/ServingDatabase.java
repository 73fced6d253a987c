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

  private ServingDatabase(EmbeddedPostgresServer embedded, PostgresConnection connection) {
    this.embedded = embedded;
    this.connection = connection;
  }

  /** Opens the configured database; null connection when Postgres output is disabled. */
  public static ServingDatabase open(Configuration config) {
    if (!config.get(PostgresOptions.ENABLED)) {
      return new ServingDatabase(null, null);
    }
    if (config.getOptional(PostgresOptions.URL).isPresent()) {
      return new ServingDatabase(null, PostgresConnection.fromConfig(config, null));
    }
    if (config.get(RuntimeOptions.TARGET) == RuntimeOptions.Target.REMOTE) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "a remote Flink cluster cannot reach the embedded PostgreSQL: set "
              + PostgresOptions.URL.key());
    }
    Path dataDir =
        Path.of(config.get(RuntimeOptions.DATA_DIR)).toAbsolutePath().resolve("postgres");
    EmbeddedPostgresServer server =
        EmbeddedPostgresServer.start(dataDir, config.get(PostgresOptions.EMBEDDED_PORT));
    return new ServingDatabase(server, PostgresConnection.fromConfig(config, server.jdbcUrl()));
  }

  /**
   * {@code config} as the job's operators should see it: with the embedded database's URL, so that
   * those that use the serving PostgreSQL themselves (the remote answer cache) find it.
   */
  public Configuration jobConfiguration(Configuration config) {
    if (embedded == null || config.getOptional(PostgresOptions.URL).isPresent()) {
      return config;
    }
    Configuration out = new Configuration(config);
    out.set(PostgresOptions.URL, embedded.jdbcUrl());
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
