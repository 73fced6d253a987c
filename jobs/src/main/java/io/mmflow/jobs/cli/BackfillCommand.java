package io.mmflow.jobs.cli;

import io.mmflow.core.config.BackfillOptions;
import io.mmflow.core.config.MmflowConfig;
import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.jobs.backfill.Backfill;
import io.mmflow.jobs.backfill.BackfillRunner;
import io.mmflow.jobs.backfill.BackfillSelection;
import io.mmflow.jobs.backfill.BackfillSession;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/mmflow backfill}: plan, run, diff, publish, discard and roll back a reprocessing of
 * what earlier runs wrote (write-audit-publish on Iceberg branches).
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "backfill",
    description =
        "Reprocess what earlier runs wrote, into an Iceberg branch of its own; audit the"
            + " changes, then publish or discard them.",
    subcommands = {
      BackfillCommand.Plan.class,
      BackfillCommand.Run.class,
      BackfillDiffCommand.class,
      BackfillStateCommands.Publish.class,
      BackfillStateCommands.Discard.class,
      BackfillStateCommands.Rollback.class,
      BackfillStateCommands.ListBackfills.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  mmflow backfill plan --where-model sentiment-en@nb-1 -D mmflow.models.file=new.yaml",
      "  mmflow backfill plan --id outage-1204 --failed --from 2026-12-04T00:00:00Z",
      "  mmflow backfill run outage-1204          # killed? run it again: it resumes",
      "  mmflow backfill diff outage-1204         # table here, HTML report with plots",
      "  mmflow backfill publish outage-1204      # or: discard; after publish: rollback"
    })
final class BackfillCommand implements Runnable {
  /** The exit code of a plan that selects nothing (a quiet night): not an error. */
  static final int NOTHING_SELECTED = 3;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "plan",
      description =
          "Select what to reprocess (every criterion given must match), estimate it and record"
              + " it; refused over the budget. -D settings given here are the ones it runs with."
              + " Exit code 3: the selection matches nothing (nothing recorded).")
  static final class Plan implements Callable<Integer> {
    @Option(names = "--id", paramLabel = "ID", description = "Its id (default bf-<time>).")
    String id;

    @Option(names = "--prefix", paramLabel = "URI", description = "Inputs under this URI prefix.")
    String prefix;

    @Option(names = "--from", paramLabel = "TIME", description = "Event time at or after (ISO).")
    Instant from;

    @Option(names = "--to", paramLabel = "TIME", description = "Event time before (ISO).")
    Instant to;

    @Option(
        names = "--where-model",
        paramLabel = "MODEL[@VERSION]",
        split = ",",
        description = "Results of these models (model_id, or model_id@model_version).")
    List<String> models = new ArrayList<>();

    @Option(
        names = "--failed",
        description = "Inputs that failed with a retryable error (an outage, a timeout).")
    boolean failed;

    @Option(
        names = "--failed-codes",
        paramLabel = "MMF-nnnn",
        split = ",",
        description = "Inputs that failed with these codes.")
    List<String> failedCodes = new ArrayList<>();

    @Option(
        names = "--where",
        paramLabel = "SQL",
        description = "A Flink SQL predicate over the columns of results.")
    String where;

    @Option(
        names = "--budget",
        paramLabel = "USD",
        description = "Refuse above this planned remote cost (mmflow.backfill.budget-usd).")
    Double budget;

    @Mixin ConfigMixin config;

    @Override
    public Integer call() throws Exception {
      var conf = config.load(budget == null ? Map.of() : budgetSetting(budget));
      BackfillSelection selection =
          new BackfillSelection(prefix, from, to, models, failed, failedCodes, where);
      String backfillId =
          id != null
              ? id
              : "bf-"
                  + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
                      .format(LocalDateTime.now(ZoneOffset.UTC));
      PrintStream out = System.out;
      if (selection.everything()) {
        out.println("mmflow: no criterion given: the backfill selects every input processed");
      }
      try (BackfillSession session = BackfillSession.open(conf, out)) {
        Backfill b =
            session.plan(backfillId, selection, settings(), conf.get(BackfillOptions.BUDGET_USD));
        if (b == null) {
          out.printf(
              "mmflow: the selection matches no input: nothing to backfill, nothing recorded"
                  + " (exit code %d)%n",
              NOTHING_SELECTED);
          return NOTHING_SELECTED;
        }
        out.printf(
            "backfill %s planned: %d inputs, %d pages, %d result rows selected%n",
            b.id(), b.items(), b.pages(), b.plannedResults());
        out.printf(
            "  remote cost of the selected rows when made: $%.4f (a run pays it again only for"
                + " calls not in the answer cache)%n",
            b.estimatedUsd());
        out.println(
            b.estimatedSeconds() == null
                ? "  time: no finished run to measure a rate from"
                : String.format(
                    Locale.ROOT,
                    "  time at the recorded rate: about %.0f s",
                    b.estimatedSeconds()));
        if (!b.settings().isEmpty()) {
          out.printf("  runs with: %s%n", b.settings());
        }
        out.printf("next: bin/mmflow backfill run %s%n", b.id());
      }
      return 0;
    }

    /** The settings the backfill runs with: of the file and -D settings, the pipeline's. */
    private Map<String, String> settings() {
      Map<String, String> given = new LinkedHashMap<>();
      if (config.configFile != null) {
        given.putAll(MmflowConfig.readYaml(config.configFile));
      }
      given.putAll(config.overrides);
      return BackfillSession.pipelineSettings(given);
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "run",
      description =
          "Run a planned backfill into its branch; run it again after a kill to resume it. A"
              + " finished one is not run again.")
  static final class Run implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Option(names = "--budget", paramLabel = "USD", description = "Raise the budget for this run.")
    Double budget;

    @Option(
        names = "--remote",
        paramLabel = "HOST:PORT",
        description = "Submit to the Flink cluster whose REST endpoint is HOST:PORT.")
    String remote;

    @Mixin ConfigMixin config;

    @Override
    public Integer call() throws Exception {
      Map<String, String> settings =
          new LinkedHashMap<>(budget == null ? Map.of() : budgetSetting(budget));
      if (remote != null) {
        settings.put(RuntimeOptions.TARGET.key(), "remote");
        settings.put(RuntimeOptions.REMOTE_ADDRESS.key(), remote);
      }
      var conf = config.load(settings);
      PrintStream out = System.out;
      try (BackfillSession session = BackfillSession.open(conf, out)) {
        var summary =
            new BackfillRunner(out, Duration.ofSeconds(2))
                .run(id, session.config(), session.postgres());
        return summary.isEmpty() || summary.get().accountedFor() ? 0 : 1;
      }
    }
  }

  private static Map<String, String> budgetSetting(double usd) {
    return Map.of(BackfillOptions.BUDGET_USD.key(), Double.toString(usd));
  }
}
