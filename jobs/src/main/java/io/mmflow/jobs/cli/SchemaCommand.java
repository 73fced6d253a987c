package io.mmflow.jobs.cli;

import io.mmflow.connectors.postgres.PostgresSchema;
import io.mmflow.connectors.sink.iceberg.IcebergTables;
import io.mmflow.core.schema.DeadLetterSchema;
import io.mmflow.core.schema.FusedSchema;
import io.mmflow.core.schema.ResultSchema;
import io.mmflow.core.schema.TableSchema;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.iceberg.Schema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Prints the tables mmflow writes, as each store gets them: both are derived from the one
 * declaration in {@code core/schema}, so this shows what a job would create without running one.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "schema",
    description = "Print the tables mmflow writes: the PostgreSQL DDL or the Iceberg schemas.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  mmflow schema postgres > mmflow-tables.sql   # for your own database",
      "  mmflow schema iceberg                        # field ids, keys, partitioning"
    })
final class SchemaCommand implements Callable<Integer> {
  enum Store {
    postgres,
    iceberg
  }

  @Parameters(index = "0", paramLabel = "STORE", description = "postgres or iceberg.")
  Store store;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (store == Store.postgres) {
      out.print(PostgresSchema.ddl());
    } else {
      Map<String, TableSchema<?>> tables = new LinkedHashMap<>();
      tables.put("results and late_results", ResultSchema.TABLE);
      tables.put("dead_letters", DeadLetterSchema.TABLE);
      tables.put("fused_results", FusedSchema.TABLE);
      tables.forEach(
          (name, table) -> {
            Schema schema = IcebergTables.schema(table);
            out.printf(
                "-- %s: %s%n-- key %s, partitioned by %s%n%s%n%n",
                name, table.doc(), table.key(), IcebergTables.spec(table, schema).fields(), schema);
          });
    }
    out.flush();
    return 0;
  }
}
