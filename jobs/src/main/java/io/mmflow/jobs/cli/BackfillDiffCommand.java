package io.mmflow.jobs.cli;

import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.jobs.backfill.Backfill;
import io.mmflow.jobs.backfill.BackfillDiff;
import io.mmflow.jobs.backfill.BackfillSession;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bin/mmflow backfill diff ID}: what a backfill changed, as a table and an HTML report. */
@Command(
    mixinStandardHelpOptions = true,
    name = "diff",
    description =
        "What the backfill changed, per task: labels (old -> new), confidence, failures, cost;"
            + " as a table, and as an HTML report with plots.")
final class BackfillDiffCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "ID")
  String id;

  @Option(
      names = "--html",
      paramLabel = "FILE",
      description = "Where the report goes (default <data-dir>/backfills/<id>/diff.html).")
  Path html;

  @Mixin ConfigMixin config;

  @Mixin TextTable.Width width;

  @Override
  public Integer call() throws Exception {
    var conf = config.load(Map.of());
    PrintStream out = System.out;
    try (BackfillSession session = BackfillSession.open(conf, out)) {
      Backfill b = session.store().get(id);
      Map<String, BackfillDiff.TaskDiff> diff =
          BackfillDiff.compute(session.config(), b, session.runIds(id));
      TextTable table =
          new TextTable(
              new String[] {
                "task",
                "compared",
                "new",
                "label changed",
                "failed->ok",
                "ok->failed",
                "confidence before",
                "after",
                "cost before",
                "cost now"
              },
              width.maxWidth);
      for (BackfillDiff.TaskDiff d : diff.values()) {
        table.add(
            new String[] {
              d.task,
              "" + d.compared,
              "" + d.added,
              "" + d.labelChanged,
              "" + d.fixed,
              "" + d.broken,
              fmt(d.meanConfidenceBefore()),
              fmt(d.meanConfidenceAfter()),
              String.format(Locale.ROOT, "%.4f", d.costBefore),
              String.format(Locale.ROOT, "%.4f", d.costAfter)
            });
      }
      PrintWriter w = new PrintWriter(out, true);
      w.printf("backfill %s (%s): %d inputs%n", b.id(), b.status().wireName(), b.items());
      table.print(w);
      for (BackfillDiff.TaskDiff d : diff.values()) {
        if (d.labelChanged > 0) {
          w.printf("%s, old label -> new label: %s%n", d.task, d.confusion);
        }
      }
      Path file =
          html != null
              ? html
              : Path.of(session.config().get(RuntimeOptions.DATA_DIR), "backfills", id)
                  .resolve("diff.html");
      io.mmflow.jobs.backfill.BackfillReport.write(file, b, diff);
      w.printf("report: %s%n", file.toAbsolutePath().toUri());
      w.flush();
    }
    return 0;
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
  }
}
