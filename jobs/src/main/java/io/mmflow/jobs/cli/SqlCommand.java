package io.mmflow.jobs.cli;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.jobs.sql.SqlEnvironment;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.ResultKind;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Flink SQL on the embedded defaults: the mmflow module loaded ({@code LOAD MODULE mmflow}, with
 * the run's mmflow settings) and the Iceberg catalog of the jobs' tables registered and in use, so
 * a query can read the results and call mmflow's functions at once.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "sql",
    description = {
      "Flink SQL with mmflow's functions and the results tables (Iceberg catalog 'mmflow').",
      "Runs the statements of -e or -f, else reads statements from the terminal (end each with"
          + " ';', 'quit;' to leave)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  mmflow sql -e \"SELECT task, count(*) FROM results GROUP BY task\"",
      "  mmflow sql -e \"SELECT MMF_LANGUAGE('Das ist ein kurzer Satz auf Deutsch.')\"",
      "  mmflow sql -f sql/flink/cookbook.sql",
      "  mmflow sql                                 # interactive"
    })
final class SqlCommand implements Callable<Integer> {
  @Option(
      names = {"-e", "--execute"},
      paramLabel = "SQL",
      description = "Statements to run, separated by ';'.")
  String execute;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "A script of statements to run, separated by ';'.")
  Path file;

  @Option(
      names = "--var",
      paramLabel = "NAME=VALUE",
      description = "Replace ${NAME} in the statements with VALUE (paths, servers of a script).")
  Map<String, String> vars = new LinkedHashMap<>();

  @Option(
      names = "--streaming",
      description = "Streaming mode (default: batch, for bounded queries over the tables).")
  boolean streaming;

  @Mixin TextTable.Width width;

  @Mixin ConfigMixin config;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (execute != null && file != null) {
      throw new MmflowException(ErrorCode.CONFIGURATION_INVALID, "give -e or -f, not both");
    }
    Configuration conf = config.load(Map.of());
    TableEnvironment sql = SqlEnvironment.open(conf, streaming);
    PrintWriter out = spec.commandLine().getOut();
    if (execute != null || file != null) {
      String script = execute != null ? execute : Files.readString(file, StandardCharsets.UTF_8);
      List<String> statements = SqlScript.split(SqlScript.substitute(script, vars));
      for (int i = 0; i < statements.size(); i++) {
        try {
          run(sql, statements.get(i), out);
        } catch (RuntimeException e) {
          throw new MmflowException(
              ErrorCode.CONFIGURATION_INVALID,
              "statement " + (i + 1) + " of " + statements.size() + " failed: " + reason(e));
        }
      }
      return 0;
    }
    interactive(sql, out);
    return 0;
  }

  /** Runs one statement and prints its rows as a table, or OK for a statement without rows. */
  private void run(TableEnvironment sql, String statement, PrintWriter out) {
    TableResult result = sql.executeSql(statement);
    if (result.getResultKind() == ResultKind.SUCCESS) {
      out.println("OK");
      out.flush();
      return;
    }
    if (SqlScript.writes(statement) && result.getJobClient().isPresent()) {
      String job = result.getJobClient().get().getJobID().toString();
      out.println("job " + job + " writing; waiting for it to finish (a streaming one runs on)");
      out.flush();
      try {
        result.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for job " + job, e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException(e.getCause() == null ? e : e.getCause());
      }
      out.println("OK: job " + job + " finished");
      out.flush();
      return;
    }
    List<String> columns = result.getResolvedSchema().getColumnNames();
    TextTable table = new TextTable(columns.toArray(String[]::new), width.maxWidth);
    try (CloseableIterator<Row> rows = result.collect()) {
      rows.forEachRemaining(
          row -> {
            String[] cells = new String[row.getArity()];
            for (int i = 0; i < cells.length; i++) {
              cells[i] = cell(row.getField(i));
            }
            table.add(cells);
          });
    } catch (Exception e) {
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
    table.print(out);
  }

  /** A value as a cell: bytes as their size (they are media), arrays and rows as SQL shows them. */
  static String cell(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof byte[] bytes) {
      return "<" + bytes.length + " bytes>";
    }
    if (value instanceof Object[] array) {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < array.length; i++) {
        sb.append(i == 0 ? "" : ", ").append(cell(array[i]));
      }
      return sb.append(']').toString();
    }
    return value.toString();
  }

  private void interactive(TableEnvironment sql, PrintWriter out) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    out.println(
        "mmflow SQL: the mmflow module is loaded (SHOW FUNCTIONS), the results tables are in"
            + " the current catalog (SHOW TABLES). End a statement with ';'; 'quit;' leaves.");
    StringBuilder pending = new StringBuilder();
    while (true) {
      out.print(pending.length() == 0 ? "mmflow> " : "     -> ");
      out.flush();
      String line = in.readLine();
      if (line == null) {
        return;
      }
      pending.append(line).append('\n');
      if (!SqlScript.complete(pending.toString())) {
        continue;
      }
      for (String statement : SqlScript.split(pending.toString())) {
        String word = statement.toLowerCase(Locale.ROOT);
        if (word.equals("quit") || word.equals("exit")) {
          return;
        }
        try {
          run(sql, statement, out);
        } catch (RuntimeException e) {
          out.println("mmflow: " + reason(e));
        }
      }
      pending.setLength(0);
    }
  }

  /** The innermost message of a failure, its first line: what the user can act on. */
  static String reason(Throwable e) {
    Throwable t = e;
    String message = e.getMessage();
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
      if (t.getMessage() != null) {
        message = t.getMessage();
      }
    }
    return message == null ? e.toString() : message.lines().findFirst().orElse(message);
  }
}
