package io.mmflow.connectors.postgres;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Applies {@code sql/postgres/schema.sql} (idempotent) before a job writes. */
public final class PostgresSchema {
  static final String RESOURCE = "/io/mmflow/sql/postgres/schema.sql";

  private PostgresSchema() {}

  public static void apply(PostgresConnection connection) {
    String ddl;
    try (InputStream in = PostgresSchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new MmflowException(ErrorCode.INTERNAL_ERROR, "missing resource " + RESOURCE);
      }
      ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new MmflowException(ErrorCode.INTERNAL_ERROR, "cannot read " + RESOURCE, e);
    }
    try (Connection c = connection.open();
        Statement s = c.createStatement()) {
      s.execute(ddl);
    } catch (SQLException e) {
      throw new MmflowException(
          ErrorCode.SINK_WRITE_FAILED,
          "cannot create the mmflow tables at " + connection.safeUrl() + ": " + e.getMessage(),
          e);
    }
  }
}
