package io.mmflow.connectors.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerTest {
  @Test
  void dataPersistsAcrossRestarts(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("pg");
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(data, 0);
        Connection c = DriverManager.getConnection(pg.jdbcUrl());
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE kept (v int)");
      s.execute("INSERT INTO kept VALUES (42)");
    }
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(data, 0);
        Connection c = DriverManager.getConnection(pg.jdbcUrl());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(42);
    }
  }
}
