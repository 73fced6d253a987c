package io.mmflow.jobs.cli;

import io.mmflow.jobs.backfill.Backfill;
import io.mmflow.jobs.backfill.BackfillSession;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The commands that move a backfill on after its run: publish, discard, rollback, and the list of
 * backfills.
 */
final class BackfillStateCommands {
  private BackfillStateCommands() {}

  @Command(
      mixinStandardHelpOptions = true,
      name = "publish",
      description =
          "Fast-forward each table's main to the finished backfill's branch and upsert its rows"
              + " into the serving PostgreSQL (one transaction).")
  static final class Publish implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Mixin ConfigMixin config;

    @Override
    public Integer call() {
      try (BackfillSession session = BackfillSession.open(config.load(Map.of()), System.out)) {
        session.publish(id);
        System.out.printf(
            "mmflow: backfill %s published: main is its branch now; bin/mmflow backfill rollback"
                + " %s undoes it%n",
            id, id);
      }
      return 0;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "discard",
      description = "Drop a backfill's branch and staging rows; main never saw them.")
  static final class Discard implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Option(names = "--force", description = "Discard one whose run did not finish.")
    boolean force;

    @Mixin ConfigMixin config;

    @Override
    public Integer call() {
      try (BackfillSession session = BackfillSession.open(config.load(Map.of()), System.out)) {
        session.discard(id, force);
        System.out.printf("mmflow: backfill %s discarded%n", id);
      }
      return 0;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "rollback",
      description =
          "Undo a publish: main back at the snapshot before it, the serving rows it replaced"
              + " restored.")
  static final class Rollback implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Mixin ConfigMixin config;

    @Override
    public Integer call() {
      try (BackfillSession session = BackfillSession.open(config.load(Map.of()), System.out)) {
        session.rollback(id);
        System.out.printf("mmflow: backfill %s rolled back%n", id);
      }
      return 0;
    }
  }

  @Command(mixinStandardHelpOptions = true, name = "list", description = "The backfills.")
  static final class ListBackfills implements Callable<Integer> {
    @Mixin ConfigMixin config;

    @Mixin TextTable.Width width;

    @Override
    public Integer call() {
      try (BackfillSession session = BackfillSession.open(config.load(Map.of()), System.out)) {
        TextTable table =
            new TextTable(
                new String[] {"id", "status", "created", "inputs", "pages", "est. cost", "runs"},
                width.maxWidth);
        for (Backfill b : session.store().list()) {
          table.add(
              new String[] {
                b.id(),
                b.status().wireName(),
                b.createdAt().toString(),
                "" + b.items(),
                "" + b.pages(),
                String.format(Locale.ROOT, "$%.4f", b.estimatedUsd()),
                "" + session.runIds(b.id()).size()
              });
        }
        PrintWriter w = new PrintWriter(System.out, true);
        table.print(w);
        w.flush();
      }
      return 0;
    }
  }
}
