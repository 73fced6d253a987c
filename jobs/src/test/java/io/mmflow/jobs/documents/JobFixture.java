package io.mmflow.jobs.documents;

import io.mmflow.connectors.embedded.EmbeddedPostgresServer;
import io.mmflow.core.config.MmflowConfig;
import io.mmflow.jobs.runtime.JobRunner;
import io.mmflow.jobs.runtime.RunSummary;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the documents-job ITCases share: a fresh database per test on one embedded PostgreSQL (so
 * tests never see each other's rows), the job's configuration, and a quiet run.
 */
final class JobFixture {
  private JobFixture() {}

  /**
   * One embedded PostgreSQL for a test class, started before its first test and stopped after its
   * last: {@code @RegisterExtension static final JobFixture.SharedPostgres POSTGRES}.
   */
  static final class SharedPostgres implements BeforeAllCallback, AfterAllCallback {
    private EmbeddedPostgresServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
      server = EmbeddedPostgresServer.start(null, 0);
    }

    @Override
    public void afterAll(ExtensionContext context) {
      server.close();
    }

    EmbeddedPostgresServer server() {
      return server;
    }
  }

  /** Drops and creates {@code name}; returns its JDBC URL. */
  static String freshDatabase(EmbeddedPostgresServer server, String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(server.jdbcUrl());
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name);
      s.execute("CREATE DATABASE " + name);
    }
    return url(server, name);
  }

  static String url(EmbeddedPostgresServer server, String name) {
    return server.jdbcUrl().replace("/postgres?", "/" + name + "?");
  }

  /**
   * The job's configuration over {@code input}, writing to a fresh database {@code database} and to
   * a warehouse under {@code dataDir}, with half-second checkpoints; {@code extra} wins.
   */
  static Configuration config(
      EmbeddedPostgresServer server,
      Path input,
      Path dataDir,
      String database,
      Map<String, String> extra)
      throws SQLException {
    Map<String, String> keys = new HashMap<>();
    keys.put("mmflow.source.path", input.toString());
    keys.put("mmflow.runtime.data-dir", dataDir.toString());
    keys.put("mmflow.runtime.checkpoint-interval", "500 ms");
    keys.put("mmflow.postgres.url", freshDatabase(server, database));
    // the OCR and S3 tests look at extraction alone; DocumentsJobITCase turns sentiment on
    keys.put("mmflow.models.sentiment", "");
    keys.putAll(extra);
    return MmflowConfig.load(Map.of(), keys);
  }

  /** Runs the documents job on a MiniCluster without printing progress. */
  static RunSummary run(Configuration config) throws Exception {
    return new JobRunner(new PrintStream(OutputStream.nullOutputStream()), Duration.ofSeconds(1))
        .run(new DocumentsJob(), config);
  }
}
