package io.mmflow.jobs.documents;

import io.mmflow.connectors.postgres.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A fresh database per test on a shared embedded PostgreSQL, so tests never see each other's rows.
 */
final class TestDatabases {
  private TestDatabases() {}

  /** Drops and creates {@code name}; returns its JDBC URL. */
  static String fresh(EmbeddedPostgresServer server, String name) throws SQLException {
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
}
