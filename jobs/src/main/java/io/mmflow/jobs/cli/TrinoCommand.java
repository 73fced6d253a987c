package io.mmflow.jobs.cli;

import io.mmflow.core.config.PostgresOptions;
import io.mmflow.jobs.trino.TrinoCatalog;
import io.mmflow.jobs.trino.TrinoJava;
import io.mmflow.jobs.trino.TrinoSession;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bin/mmflow trino}: a Trino server over the jobs' Iceberg tables, kept up for the Trino
 * CLI, DBeaver or a notebook until Ctrl-C; or, with {@code --print-catalog}, the catalog file for a
 * user's own Trino.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "trino",
    description = {
      "Run a Trino server on loopback over the results tables (catalog mmflow, schema mmflow)"
          + " until Ctrl-C, and print its JDBC URL.",
      "The server is fetched from Maven Central once and needs a JDK 24+ (found in /usr/lib/jvm,"
          + " or "
          + TrinoJava.JAVA_HOME_ENV
          + ")."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  mmflow trino                      # then: trino --server localhost:PORT, or JDBC",
      "  mmflow trino --port 8080",
      "  mmflow trino --print-catalog > etc/catalog/mmflow.properties   # your own Trino",
      "  mmflow query trino \"SELECT task, count(*) FROM mmflow.mmflow.results GROUP BY 1\""
    })
final class TrinoCommand implements Callable<Integer> {
  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "0",
      description = "The server's HTTP port (default: a free one).")
  int port;

  @Option(
      names = "--print-catalog",
      description =
          "Print the Trino catalog file of the jobs' tables for a Trino of your own (the database"
              + " password read from the environment, never written) and exit.")
  boolean printCatalog;

  @Mixin ConfigMixin config;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Configuration conf = config.load(Map.of());
    PrintWriter out = spec.commandLine().getOut();
    if (printCatalog) {
      if (conf.getOptional(PostgresOptions.URL).isEmpty() && conf.get(PostgresOptions.ENABLED)) {
        // the embedded PostgreSQL, where bin/mmflow starts it (while a job, sql or trino runs)
        conf.set(
            PostgresOptions.URL,
            "jdbc:postgresql://localhost:"
                + conf.get(PostgresOptions.EMBEDDED_PORT)
                + "/postgres?user=postgres");
      }
      out.print(
          TrinoCatalog.text(TrinoCatalog.properties(conf, TrinoCatalog.passwordFromEnvironment())));
      out.flush();
      return 0;
    }
    try (TrinoSession trino = TrinoSession.open(conf, port, System.out)) {
      out.println("JDBC URL: " + trino.server().jdbcUrl() + " (user: any name, no password)");
      out.println(
          "Trino CLI: trino --server http://127.0.0.1:"
              + trino.server().port()
              + " --catalog mmflow --schema mmflow");
      out.println("Ctrl-C stops the server.");
      out.flush();
      // Ctrl-C: stop Trino and the embedded database before the JVM exits
      Runtime.getRuntime().addShutdownHook(new Thread(trino::close, "mmflow-trino-stop"));
      int exit = trino.server().waitFor();
      if (exit != 0 && exit != 143) { // 143: stopped by Ctrl-C (SIGTERM)
        spec.commandLine()
            .getErr()
            .println(
                "mmflow: Trino stopped with exit code " + exit + "; its log is in the data folder");
        return 1;
      }
      return 0;
    }
  }
}
