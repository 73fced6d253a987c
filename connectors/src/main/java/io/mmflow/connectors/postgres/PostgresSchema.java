package io.mmflow.connectors.postgres;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The serving schema: the tables derived from their declarations ({@link PostgresTable}), then
 * {@code sql/postgres/schema.sql} (indexes, views and the tables declared nowhere else), which
 * builds on them. All of it is idempotent and applied before a job writes.
 */
public final class PostgresSchema {
  static final String RESOURCE = "/io/mmflow/sql/postgres/schema.sql";

  private PostgresSchema() {}

  /** The full DDL that {@link #apply} runs, for a user to read or run by hand. */
  public static String ddl() {
    StringBuilder ddl =
        new StringBuilder(
            "-- Tables derived from their declarations in io.mmflow.core.schema (PostgresTable)\n");
    for (PostgresTable<?> table : PostgresTable.CREATED) {
      ddl.append(table.createTable()).append('\n');
    }
    ddl.append("-- Columns declared after a table was first created, added in place\n");
    for (PostgresTable<?> table : PostgresTable.CREATED) {
      ddl.append(table.addMissingColumns());
    }
    ddl.append('\n').append(file());
    // late_results is created by the file (LIKE results): columns results gained after it was
    // created are added here
    return ddl.append('\n').append(PostgresTable.LATE_RESULTS.addMissingColumns()).toString();
  }

  public static void apply(PostgresConnection connection) {
    String ddl = ddl();
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

  private static String file() {
    try (InputStream in = PostgresSchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new MmflowException(ErrorCode.INTERNAL_ERROR, "missing resource " + RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new MmflowException(ErrorCode.INTERNAL_ERROR, "cannot read " + RESOURCE, e);
    }
  }
}
