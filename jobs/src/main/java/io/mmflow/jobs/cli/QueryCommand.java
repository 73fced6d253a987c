package io.mmflow.jobs.cli;

import io.mmflow.core.config.IcebergOptions;
import io.mmflow.core.config.PostgresOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.jobs.runtime.ServingDatabase;
import io.mmflow.jobs.sql.SqlEnvironment;
import io.mmflow.jobs.trino.TrinoServer;
import io.mmflow.jobs.trino.TrinoSession;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    mixinStandardHelpOptions = true,
    name = "query",
    description = {
      "Query the results tables in PostgreSQL or Iceberg.",
      "postgres: the serving database (the embedded one is started when no URL is set);",
      "iceberg: the Iceberg tables through Flink SQL in batch mode;",
      "trino: the Iceberg tables through a Trino server started on loopback for the query"
          + " (catalog mmflow, schema mmflow; bin/mmflow trino keeps one running)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  mmflow query postgres \"SELECT source_uri, language FROM results\"",
      "  mmflow query postgres \"SELECT error_code, count(*) FROM dead_letters GROUP BY 1\"",
      "  mmflow query iceberg \"SELECT task, count(*) FROM results GROUP BY task\"",
      "  mmflow query iceberg \"SELECT * FROM dead_letters\" --max-width 40",
      "  mmflow query trino \"SELECT task, count(*) FROM mmflow.mmflow.results GROUP BY 1\""
    })
final class QueryCommand implements Callable<Integer> {
  enum Engine {
    postgres,
    iceberg,
    trino
  }

  @Parameters(index = "0", paramLabel = "ENGINE", description = "postgres, iceberg or trino.")
  Engine engine;

  @Parameters(index = "1", paramLabel = "SQL", description = "The query.")
  String sql;

  @Mixin TextTable.Width width;

  @Mixin ConfigMixin config;

  @Override
  public Integer call() throws Exception {
    Configuration conf = config.load(Map.of());
    switch (engine) {
      case postgres -> queryPostgres(conf);
      case iceberg -> queryIceberg(conf);
      case trino -> queryTrino(conf);
    }
    return 0;
  }

  /** Stops the session's Trino (and database) if the JVM is stopped before the query ends. */
  private static AutoCloseable stopOnExit(TrinoSession trino) {
    Thread hook = new Thread(trino::close, "mmflow-trino-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    return () -> {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException exiting) {
        // the JVM is stopping: the hook runs
      }
    };
  }

  private void queryTrino(Configuration conf) throws Exception {
    try (TrinoSession trino = TrinoSession.open(conf, 0, System.err);
        AutoCloseable onExit = stopOnExit(trino);
        Connection c = trino.server().connect();
        Statement s = c.createStatement()) {
      long t0 = System.nanoTime();
      try (ResultSet rs = TrinoServer.query(s, sql)) {
        printTable(rs, System.out, width.maxWidth);
      }
      System.err.printf("mmflow: the query took %.2f s%n", (System.nanoTime() - t0) / 1e9);
    } catch (SQLException e) {
      throw new MmflowException(ErrorCode.CONFIGURATION_INVALID, "query failed: " + e.getMessage());
    }
  }

  private void queryPostgres(Configuration conf) {
    if (!conf.get(PostgresOptions.ENABLED)) {
      throw new MmflowException(ErrorCode.CONFIGURATION_INVALID, "Postgres output is disabled");
    }
    try (ServingDatabase db = ServingDatabase.open(conf);
        Connection c = db.connection().open();
        Statement s = c.createStatement()) {
      if (!s.execute(sql)) {
        System.out.println(s.getUpdateCount() + " rows affected");
        return;
      }
      try (ResultSet rs = s.getResultSet()) {
        printTable(rs, System.out, width.maxWidth);
      }
    } catch (SQLException e) {
      throw new MmflowException(ErrorCode.CONFIGURATION_INVALID, "query failed: " + e.getMessage());
    }
  }

  private void queryIceberg(Configuration conf) {
    if (!conf.get(IcebergOptions.ENABLED)) {
      throw new MmflowException(ErrorCode.CONFIGURATION_INVALID, "Iceberg output is disabled");
    }
    try (SqlEnvironment session = SqlEnvironment.open(conf, false)) {
      session.tables().executeSql(sql).print();
    } catch (RuntimeException e) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID, "query failed: " + SqlCommand.reason(e));
    }
  }

  static void printTable(ResultSet rs, PrintStream out, int maxWidth) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    String[] header = new String[n];
    for (int i = 0; i < n; i++) {
      header[i] = md.getColumnLabel(i + 1);
    }
    TextTable table = new TextTable(header, maxWidth);
    while (rs.next()) {
      String[] row = new String[n];
      for (int i = 0; i < n; i++) {
        row[i] = rs.getString(i + 1);
      }
      table.add(row);
    }
    table.print(new PrintWriter(out, true));
  }
}
