package io.mmflow.jobs.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mmflow.connectors.embedded.Latency;
import io.mmflow.connectors.embedded.LoopbackOpenAiServer;
import io.mmflow.connectors.embedded.LoopbackRequest;
import io.mmflow.connectors.sink.iceberg.IcebergTables;
import io.mmflow.core.config.BackfillOptions;
import io.mmflow.core.config.PostgresOptions;
import io.mmflow.core.error.MmflowException;
import io.mmflow.jobs.backfill.Backfill;
import io.mmflow.jobs.backfill.BackfillDiff;
import io.mmflow.jobs.backfill.BackfillReport;
import io.mmflow.jobs.backfill.BackfillRunner;
import io.mmflow.jobs.backfill.BackfillSelection;
import io.mmflow.jobs.backfill.BackfillSession;
import io.mmflow.jobs.bench.BackfillBenchmark;
import io.mmflow.jobs.runtime.CliProcess;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backfill end to end on real parts (the documents job, Iceberg branches in the shared JDBC
 * catalog, PostgreSQL, the loopback provider): a model upgrade from the local sentiment model to a
 * remote one, planned over the sentiment rows, run in a child JVM that is killed twice ({@code kill
 * -9}) and resumed to its end; its rows equal those of a clean backfill of the same selection, and
 * the provider saw no request twice. Then the diff (checked against one computed here from the
 * serving tables), the HTML report, publish, rollback and discard.
 */
class BackfillITCase {
  static final int DOCUMENTS = 60;

  @RegisterExtension
  static final JobFixture.SharedPostgres POSTGRES = new JobFixture.SharedPostgres();

  @Test
  void aModelUpgradeIsPlannedRunKilledResumedAuditedPublishedAndRolledBack(@TempDir Path dir)
      throws Exception {
    // reviews of four tones: the local model and the remote judge disagree on some
    Path docs = BackfillBenchmark.reviews(dir.resolve("docs"), DOCUMENTS);
    Configuration config =
        JobFixture.config(
            POSTGRES.server(),
            docs,
            dir.resolve("data"),
            "backfill_run",
            Map.of("mmflow.models.sentiment", "sentiment-en"));
    JobFixture.run(config); // the run the backfill revisits: local sentiment of every review
    String url = config.get(PostgresOptions.URL);

    try (LoopbackOpenAiServer provider = LoopbackOpenAiServer.start()) {
      provider.settings().latency(Latency.fixed(150)); // slow enough to be killed mid-run
      // a provider that stores chat completions: a call in flight at a kill is fetched, not paid
      // again
      Path providers =
          provider.writeProvidersFile(
              dir.resolve("providers.yaml"),
              null,
              true,
              """
                - id: judge
                  model: judge-2
                  tasks: [sentiment]
                  cost: {input-per-1k: 0.001, output-per-1k: 0.002, per-call: 0.0005}
              """);
      Map<String, String> upgrade =
          Map.of(
              "mmflow.models.sentiment", "",
              "mmflow.remote.providers", providers.toString(),
              "mmflow.remote.text-task", "sentiment",
              "mmflow.remote.concurrent", "2");
      BackfillSelection sentimentRows =
          new BackfillSelection(
              docs.toUri().toString(), null, null, List.of("sentiment-en"), false, List.of(), null);
      PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
      try (BackfillSession session = BackfillSession.open(config, quiet)) {
        // plan: every review, its one sentiment row; the local model cost nothing
        Backfill planned = session.plan("upgrade", sentimentRows, upgrade, 1.0);
        assertThat(planned.items()).isEqualTo(DOCUMENTS);
        assertThat(planned.plannedResults()).isEqualTo(DOCUMENTS);
        assertThat(planned.estimatedUsd()).isZero();
        assertThat(planned.estimatedSeconds()).isNotNull().isPositive();
        // not finished: cannot be published
        assertThatThrownBy(() -> session.publish("upgrade")).hasMessageContaining("it is planned");

        // run in a child JVM, killed twice once it has called the provider and checkpointed
        for (int kill = 1; kill <= 2; kill++) {
          long before = provider.requestCount();
          Process child =
              childRun("upgrade", url, dir.resolve("data"), dir.resolve("run" + kill + ".log"));
          try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (provider.requestCount() < before + 12 && System.nanoTime() < deadline) {
              assertThat(child.isAlive()).as("run %d ended before it was killed", kill).isTrue();
              Thread.sleep(100);
            }
            Thread.sleep(1200); // a checkpoint or two after those calls
          } finally {
            child.destroyForcibly().waitFor();
          }
        }
        assertThat(session.store().get("upgrade").status()).isEqualTo(Backfill.Status.RUNNING);
        // resumed here, to its end, from the checkpoint of the run killed last
        java.io.ByteArrayOutputStream said = new java.io.ByteArrayOutputStream();
        new BackfillRunner(new PrintStream(said, true), Duration.ofSeconds(1))
            .run("upgrade", session.config(), session.postgres());
        assertThat(said.toString()).contains("backfill upgrade resumes from", "/chk-");
        assertThat(Files.readString(dir.resolve("run2.log")))
            .contains("backfill upgrade resumes from");
        // the resumed runs read fewer than all the reviews: they started where the last left
        assertThat(count(url, "SELECT max(items_read) FROM job_runs WHERE job = 'backfill'"))
            .isLessThan(DOCUMENTS);
        assertThat(session.store().get("upgrade").status()).isEqualTo(Backfill.Status.FINISHED);
        Set<String> runs = session.runIds("upgrade");
        assertThat(runs).hasSize(3);

        // no request twice: each review's text asked once, over the three runs. An answered call
        // is kept in remote_answers; a call in flight when its run was killed was journaled in
        // remote_calls_sent before it left, and the resumed run fetched its stored completion
        // (a GET) instead of asking again
        Map<String, Long> perBody =
            provider.requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().endsWith("/chat/completions"))
                .collect(Collectors.groupingBy(BackfillITCase::reviewOf, Collectors.counting()));
        long repeated = perBody.values().stream().mapToLong(n -> n - 1).sum();
        long lookups = provider.requests().stream().filter(r -> r.method().equals("GET")).count();
        System.out.printf(
            "backfill: %d provider calls over 3 runs, %d repeated, %d stored completions looked"
                + " up, %d recovered%n",
            perBody.values().stream().mapToLong(Long::longValue).sum(),
            repeated,
            lookups,
            count(
                url,
                "SELECT count(*) FROM "
                    + BackfillOptions.stagingTable("upgrade", "results")
                    + " WHERE attributes->>'cache_hit' = 'recovered'"));
        assertThat(perBody).hasSize(DOCUMENTS);
        assertThat(repeated).isZero();
        // every call sent was answered and recorded: the journal is empty
        assertThat(count(url, "SELECT count(*) FROM remote_calls_sent")).isZero();

        // main untouched: the branch holds the new rows, main the old only
        Map<String, String> branchRows = sentimentRows(session.config(), "backfill-upgrade");
        assertThat(branchRows).hasSize(DOCUMENTS * 2);
        assertThat(sentimentRows(session.config(), "main")).hasSize(DOCUMENTS);

        // finished: running it again changes nothing and calls no model
        long calls = provider.requestCount();
        assertThat(
                new BackfillRunner(quiet, Duration.ofSeconds(1))
                    .run("upgrade", session.config(), session.postgres()))
            .isEmpty();
        // a clean backfill of the same selection: the same rows, every answer from the cache
        session.plan("clean", sentimentRows, upgrade, 1.0);
        new BackfillRunner(quiet, Duration.ofSeconds(1))
            .run("clean", session.config(), session.postgres());
        assertThat(provider.requestCount()).isEqualTo(calls);
        assertThat(withoutRun(sentimentRows(session.config(), "backfill-clean")))
            .isEqualTo(withoutRun(branchRows));

        // the diff, against one computed here from the serving tables: main's rows against the
        // backfill's staging rows, item by item
        Backfill finished = session.store().get("upgrade");
        Map<String, BackfillDiff.TaskDiff> diff =
            BackfillDiff.compute(session.config(), finished, runs);
        BackfillDiff.TaskDiff sentiment = diff.get("sentiment");
        assertThat(sentiment.compared).isEqualTo(DOCUMENTS);
        Map<String, Map<String, Long>> expected = confusionFromPostgres(url);
        assertThat(sentiment.confusion).isEqualTo(expected);
        long changed =
            expected.entrySet().stream()
                .mapToLong(
                    e ->
                        e.getValue().entrySet().stream()
                            .filter(x -> !x.getKey().equals(e.getKey()))
                            .mapToLong(Map.Entry::getValue)
                            .sum())
                .sum();
        assertThat(sentiment.labelChanged).isEqualTo(changed).isPositive();
        assertThat(sentiment.costAfter).isPositive();
        assertThat(sentiment.costBefore).isZero();

        Path report = dir.resolve("diff.html");
        BackfillReport.write(report, finished, diff);
        String html = Files.readString(report);
        assertThat(html).contains("class=\"confusion\"", "class=\"histogram\"", "neutral");
        ReportScreenshot.assertRendersPlots(report, dir.resolve("diff.png"));

        // publish: main is the branch, the serving tables hold the new rows
        long mainBefore = snapshot(session.config());
        session.publish("upgrade");
        assertThat(sentimentRows(session.config(), "main")).isEqualTo(branchRows);
        assertThat(count(url, "SELECT count(*) FROM results WHERE provider = 'loop'"))
            .isEqualTo(DOCUMENTS);
        assertThat(session.store().get("upgrade").mainSnapshots()).containsValue(mainBefore);
        assertThatThrownBy(() -> session.discard("upgrade", false))
            .hasMessageContaining("roll it back");
        // refused over a budget, recording nothing: the judge's rows (on main now) cost money
        BackfillSelection judged =
            new BackfillSelection(null, null, null, List.of("judge"), false, List.of(), null);
        assertThatThrownBy(() -> session.plan("too-dear", judged, upgrade, 0.0))
            .isInstanceOf(MmflowException.class)
            .hasMessageContaining("over the budget");
        assertThat(session.store().find("too-dear")).isEmpty();

        // rollback: main and the serving rows as they were before the publish
        session.rollback("upgrade");
        assertThat(snapshot(session.config())).isEqualTo(mainBefore);
        assertThat(sentimentRows(session.config(), "main")).hasSize(DOCUMENTS);
        assertThat(count(url, "SELECT count(*) FROM results WHERE provider = 'loop'")).isZero();
        assertThat(count(url, "SELECT count(*) FROM results WHERE task = 'sentiment'"))
            .isEqualTo(DOCUMENTS);

        // discard: the clean backfill's branch and staging tables are gone
        session.discard("clean", false);
        assertThat(refs(session.config())).noneMatch(r -> r.startsWith("backfill-"));
        assertThat(
                count(
                    url,
                    "SELECT count(*) FROM information_schema.tables"
                        + " WHERE table_name LIKE 'backfill\\_clean\\_\\_%'"))
            .isZero();
      }
    }
  }

  /** {@code bin/mmflow backfill run ID} in a JVM of its own, on the test's class path. */
  static Process childRun(String id, String url, Path dataDir, Path log) throws Exception {
    return CliProcess.start(
        List.of(
            "backfill",
            "run",
            id,
            "--data-dir",
            dataDir.toString(),
            "-D",
            PostgresOptions.URL.key() + "=" + url,
            "-D",
            "mmflow.runtime.checkpoint-interval=300 ms"),
        log);
  }

  /** The review a provider request asked about ({@code #n} of its text). */
  static String reviewOf(LoopbackRequest r) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("#(\\d+)").matcher(r.body());
    return m.find() ? m.group(1) : r.body();
  }

  /** Sentiment rows of a branch: key → top label and run, read with Iceberg's generic reader. */
  static Map<String, String> sentimentRows(Configuration config, String branch) throws Exception {
    Map<String, String> out = new TreeMap<>();
    withResults(
        config,
        table -> {
          long snapshot = table.refs().get(branch).snapshotId();
          try (CloseableIterable<Record> rows =
              IcebergGenerics.read(table).useSnapshot(snapshot).build()) {
            for (Record r : rows) {
              if ("sentiment".equals(r.getField("task"))) {
                out.put(
                    r.getField("item_id") + "/" + r.getField("model_id"),
                    topLabel(r) + " " + r.getField("run_id"));
              }
            }
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          return null;
        });
    return out;
  }

  static Map<String, String> withoutRun(Map<String, String> rows) {
    Map<String, String> out = new TreeMap<>();
    rows.forEach((k, v) -> out.put(k, v.substring(0, v.indexOf(' '))));
    return out;
  }

  static String topLabel(Record r) {
    String best = null;
    double score = -1;
    for (Object o : (List<?>) r.getField("labels")) {
      Record l = (Record) o;
      if ((Double) l.getField("score") > score) {
        score = (Double) l.getField("score");
        best = (String) l.getField("label");
      }
    }
    return best;
  }

  static long snapshot(Configuration config) {
    return withResults(config, t -> t.currentSnapshot().snapshotId());
  }

  static Set<String> refs(Configuration config) {
    return withResults(config, t -> Set.copyOf(t.refs().keySet()));
  }

  static <T> T withResults(Configuration config, Function<Table, T> work) {
    return IcebergTables.withCatalog(
        config, catalog -> work.apply(catalog.loadTable(IcebergTables.resultsTable(config))));
  }

  /**
   * Old label → new label → items, from PostgreSQL: the serving table's local sentiment rows
   * against the backfill's staging rows, joined on the item.
   */
  static Map<String, Map<String, Long>> confusionFromPostgres(String url) throws Exception {
    String top =
        "(SELECT l->>'label' FROM jsonb_array_elements(%s.labels) l"
            + " ORDER BY (l->>'score')::float DESC LIMIT 1)";
    String sql =
        "SELECT "
            + top.formatted("o")
            + ", "
            + top.formatted("n")
            + ", count(*) FROM results o JOIN "
            + BackfillOptions.stagingTable("upgrade", "results")
            + " n ON n.item_id = o.item_id AND n.part_id = o.part_id AND n.task = o.task"
            + " WHERE o.task = 'sentiment' AND o.model_id = 'sentiment-en' GROUP BY 1, 2";
    Map<String, Map<String, Long>> out = new TreeMap<>();
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
            .put(rs.getString(2), rs.getLong(3));
      }
    }
    return out;
  }

  static long count(String url, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
