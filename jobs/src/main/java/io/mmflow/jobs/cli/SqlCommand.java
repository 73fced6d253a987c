package io.mmflow.jobs.cli;

import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.jobs.sql.SqlEnvironment;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
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
          + " ';', 'quit;' to leave; history and Tab completion as in Flink's SQL client).",
      "mmflow's models are catalog models: ML_PREDICT(TABLE t, MODEL ml.mmflow.sentiment_en,"
          + " DESCRIPTOR(text)) (streaming mode)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  mmflow sql -e \"SELECT task, count(*) FROM results GROUP BY task\"",
      "  mmflow sql -e \"SELECT MMF_LANGUAGE('Das ist ein kurzer Satz auf Deutsch.')\"",
      "  mmflow sql -f sql/flink/cookbook-documents.sql --var SCANS=datasets/documents/scans",
      "  mmflow sql --remote jobmanager:8081 -D mmflow.postgres.url=jdbc:postgresql://db/mmflow \\",
      "      -e \"SELECT count(*) FROM results\"",
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
      names = "--remote",
      paramLabel = "HOST:PORT",
      description =
          "Run the statements' jobs on the Flink cluster whose REST endpoint is HOST:PORT, with the"
              + " mmflow job jar (default: a MiniCluster in this process).")
  String remote;

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
    Map<String, String> settings = new LinkedHashMap<>();
    if (remote != null) {
      settings.put(RuntimeOptions.TARGET.key(), "remote");
      settings.put(RuntimeOptions.REMOTE_ADDRESS.key(), remote);
    }
    Configuration conf = config.load(settings);
    try (SqlEnvironment session = SqlEnvironment.open(conf, streaming)) {
      return run(session.tables(), conf);
    }
  }

  private int run(TableEnvironment sql, Configuration conf) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (execute != null || file != null) {
      String script = execute != null ? execute : Files.readString(file, StandardCharsets.UTF_8);
      List<String> statements = SqlScript.split(SqlScript.substitute(script, vars));
      for (int i = 0; i < statements.size(); i++) {
        try {
          run(sql, statements.get(i), out, err);
        } catch (RuntimeException e) {
          throw new MmflowException(
              ErrorCode.CONFIGURATION_INVALID,
              "statement " + (i + 1) + " of " + statements.size() + " failed: " + reason(e));
        }
      }
      return 0;
    }
    SqlShell.run(
        sql,
        System.in,
        System.out,
        Path.of(conf.get(RuntimeOptions.DATA_DIR), "sql_history"),
        out,
        statement -> {
          try {
            run(sql, statement, out, err);
          } catch (RuntimeException e) {
            out.println("mmflow: " + reason(e));
            out.flush();
          }
        });
    return 0;
  }

  /**
   * Runs one statement and prints its rows as a table, or OK for a statement without rows; a job
   * that runs longer than {@link QueryProgress#EVERY} tells how far it is on {@code err}.
   */
  private void run(TableEnvironment sql, String statement, PrintWriter out, PrintWriter err) {
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
      try (QueryProgress progress =
          QueryProgress.start(result.getJobClient().get(), null, err, QueryProgress.EVERY)) {
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
    AtomicLong count = new AtomicLong();
    try (CloseableIterator<Row> rows = result.collect();
        QueryProgress progress =
            QueryProgress.start(
                result.getJobClient().orElse(null), count, err, QueryProgress.EVERY)) {
      rows.forEachRemaining(
          row -> {
            String[] cells = new String[row.getArity()];
            for (int i = 0; i < cells.length; i++) {
              cells[i] = cell(row.getField(i));
            }
            table.add(cells);
            count.incrementAndGet();
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
