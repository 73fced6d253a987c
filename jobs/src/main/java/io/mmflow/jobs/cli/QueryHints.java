package io.mmflow.jobs.cli;

import io.mmflow.connectors.sink.iceberg.IcebergTables;
import io.mmflow.core.config.IcebergOptions;
import io.mmflow.core.config.PostgresOptions;
import java.io.PrintStream;
import org.apache.flink.configuration.Configuration;

/** Tells the user, after a run, how to look at what it wrote. */
final class QueryHints {
  private QueryHints() {}

  static void print(PrintStream out, Configuration config) {
    out.println();
    out.println("Query what it wrote:");
    if (config.get(PostgresOptions.ENABLED)) {
      out.println(
          "  bin/mmflow query postgres \"SELECT source_uri, language, left(text, 60) FROM results\"");
      out.println(
          "  bin/mmflow query postgres \"SELECT error_code, error_name, count(*) FROM dead_letters GROUP BY 1, 2\"");
      if (config.getOptional(PostgresOptions.URL).isPresent()) {
        out.println(
            "  psql against " + config.get(PostgresOptions.URL).replaceAll("://[^@/]*@", "://"));
      }
    }
    if (config.get(IcebergOptions.ENABLED)) {
      out.println(
          "  bin/mmflow query iceberg \"SELECT task, \\`language\\`, count(*) AS n FROM results GROUP BY task, \\`language\\`\"");
      if (IcebergTables.catalogType(config) == IcebergOptions.CatalogType.JDBC) {
        out.println(
            "  bin/mmflow query trino \"SELECT task, count(*) FROM "
                + config.get(IcebergOptions.CATALOG_NAME)
                + "."
                + config.get(IcebergOptions.NAMESPACE)
                + ".results GROUP BY 1\"   (docs/analysts.md)");
      }
      out.println(
          "  Iceberg tables "
              + config.get(IcebergOptions.NAMESPACE)
              + ".results and .dead_letters in "
              + IcebergTables.warehouse(config)
              + ", catalog "
              + IcebergTables.catalogType(config).name().toLowerCase(java.util.Locale.ROOT)
              + " (Flink SQL: sql/flink/create-catalog.sql)");
    }
  }
}
