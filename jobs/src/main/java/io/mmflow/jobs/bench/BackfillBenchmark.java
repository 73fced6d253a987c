package io.mmflow.jobs.bench;

import io.mmflow.connectors.embedded.EmbeddedPostgresServer;
import io.mmflow.connectors.embedded.Latency;
import io.mmflow.connectors.embedded.LoopbackOpenAiServer;
import io.mmflow.connectors.embedded.LoopbackRequest;
import io.mmflow.core.config.BackfillOptions;
import io.mmflow.core.config.ModelOptions;
import io.mmflow.core.config.PostgresOptions;
import io.mmflow.core.config.RemoteOptions;
import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.core.config.SourceOptions;
import io.mmflow.jobs.backfill.Backfill;
import io.mmflow.jobs.backfill.BackfillDiff;
import io.mmflow.jobs.backfill.BackfillRunner;
import io.mmflow.jobs.backfill.BackfillSelection;
import io.mmflow.jobs.backfill.BackfillSession;
import io.mmflow.jobs.documents.DocumentsJob;
import io.mmflow.jobs.runtime.CliProcess;
import io.mmflow.jobs.runtime.JobRunner;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;

/**
 * {@code mmflow bench backfill}: a backfill's throughput against the documents job's on the same
 * inputs and work, and what a killed backfill costs. Over N generated reviews with remote sentiment
 * (the loopback provider at a fixed latency), in a folder and embedded PostgreSQL of its own:
 *
 * <ol>
 *   <li>the documents job with model {@code judge-1}: the rows to backfill (and the JVM's warm-up);
 *   <li>backfill A of every review to model {@code judge-2} (the same extraction and as many new
 *       calls) and the documents job again to model {@code judge-4} (as many new calls), then the
 *       documents job to {@code judge-5} and backfill A2 to {@code judge-6}: four timed runs in the
 *       order A D D A, so that warming up favours neither; {@code ratio} = the jobs' time over the
 *       backfills';
 *   <li>backfill B of the same selection to model {@code judge-3}, in a child JVM killed twice
 *       ({@code kill -9}) once it has made calls and checkpointed, then resumed to its end: the
 *       calls the provider saw twice ({@code remote_calls_repeated}, 0 expected: a call in flight
 *       at a kill was journaled before it left, and the resumed run fetches its stored completion,
 *       {@code stored_lookups}, instead of paying again), and whether its rows (status and top
 *       label per item, part and task) equal A's;
 *   <li>B run again once finished: the calls it made ({@code rerun_calls}, 0 expected).
 * </ol>
 */
public final class BackfillBenchmark {
  private static final Pattern REVIEW = Pattern.compile("#(\\d+)");

  /** What one run measured. */
  public record Figures(
      int items,
      double documentsSeconds,
      double backfillSeconds,
      long repeatedCalls,
      long storedLookups,
      int kills,
      boolean rowsEqual,
      long rerunCalls,
      long backfillCalls) {

    /** Backfill throughput over the documents job's on the same inputs. */
    public double ratio() {
      return documentsSeconds / backfillSeconds;
    }
  }

  private BackfillBenchmark() {}

  public static Figures run(Configuration base, int items, long latencyMs, PrintStream out)
      throws Exception {
    Path dir = Files.createTempDirectory("mmflow-bench-backfill");
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir.resolve("postgres"), 0);
        LoopbackOpenAiServer provider = LoopbackOpenAiServer.start()) {
      // every request of the three runs kept in the log, to count repeats
      provider.settings().latency(Latency.fixed(latencyMs)).logCapacity(items * 4 + 1000);
      Path docs = reviews(dir.resolve("docs"), items);
      Configuration config = new Configuration(base);
      config.set(RuntimeOptions.DATA_DIR, dir.resolve("data").toString());
      config.set(PostgresOptions.URL, pg.jdbcUrl());
      config.set(SourceOptions.PATH, docs.toString());
      config.set(ModelOptions.SENTIMENT, "");
      config.set(RemoteOptions.TEXT_TASK, "sentiment");
      config.set(RemoteOptions.CACHE_POSTGRES, true);
      config.set(RemoteOptions.PROVIDERS, providers(provider, dir, 1).toString());

      out.printf("bench backfill: %d reviews, provider latency %d ms%n", items, latencyMs);
      long t0 = System.nanoTime();
      new JobRunner(quiet, Duration.ofSeconds(5)).run(new DocumentsJob(), config);
      out.printf(
          "  documents job (judge-1, the rows to backfill; warm-up): %.1f s%n",
          (System.nanoTime() - t0) / 1e9);

      BackfillSelection all =
          new BackfillSelection(docs.toString(), null, null, List.of(), false, List.of(), null);
      try (BackfillSession session = BackfillSession.open(config, quiet)) {
        // the backfill and its anchor, the documents job over the same inputs to a model not asked
        // before (as many new calls), timed twice in the order A D D A, so that the JVM's and the
        // database's warming up favours neither
        double backfillSeconds = 0;
        double documentsSeconds = 0;
        int[][] rounds = {{2, 4}, {6, 5}}; // judge-<n> of the backfill, of the documents job
        for (int r = 0; r < rounds.length; r++) {
          for (boolean backfillFirst : new boolean[] {r == 0, r != 0}) {
            if (backfillFirst) {
              String id = r == 0 ? "bench-a" : "bench-a" + (r + 1);
              session.plan(id, all, upgrade(provider, dir, rounds[r][0]), Double.MAX_VALUE);
              long t1 = System.nanoTime();
              new BackfillRunner(quiet, Duration.ofSeconds(5))
                  .run(id, session.config(), session.postgres());
              double s = (System.nanoTime() - t1) / 1e9;
              backfillSeconds += s;
              out.printf("  backfill %s (judge-%d): %.1f s%n", id, rounds[r][0], s);
            } else {
              Configuration again = new Configuration(session.config());
              again.set(RemoteOptions.PROVIDERS, providers(provider, dir, rounds[r][1]).toString());
              long t2 = System.nanoTime();
              new JobRunner(quiet, Duration.ofSeconds(5)).run(new DocumentsJob(), again);
              double s = (System.nanoTime() - t2) / 1e9;
              documentsSeconds += s;
              out.printf("  documents job (judge-%d): %.1f s%n", rounds[r][1], s);
            }
          }
        }

        // B is slowed to 2 calls in flight, so that it is still running when it is killed
        Map<String, String> slow = new HashMap<>(upgrade(provider, dir, 3));
        slow.put(RemoteOptions.CONCURRENT.key(), "2");
        session.plan("bench-b", all, slow, Double.MAX_VALUE);
        int kills = 0;
        for (double share : new double[] {0.25, 0.5}) {
          long target = calls(provider, "judge-model-3") + Math.round(items * share / 2);
          Process child =
              CliProcess.start(
                  List.of(
                      "backfill",
                      "run",
                      "bench-b",
                      "--data-dir",
                      config.get(RuntimeOptions.DATA_DIR),
                      "-D",
                      PostgresOptions.URL.key() + "=" + pg.jdbcUrl()),
                  dir.resolve("bench-b-run" + (kills + 1) + ".log"));
          try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (calls(provider, "judge-model-3") < target
                && child.isAlive()
                && System.nanoTime() < deadline) {
              Thread.sleep(50);
            }
            Thread.sleep(
                2 * config.get(RuntimeOptions.CHECKPOINT_INTERVAL).toMillis()); // a checkpoint
          } finally {
            if (child.isAlive()) {
              child.destroyForcibly().waitFor();
              kills++;
            }
          }
        }
        out.printf("  backfill B (judge-3): killed %d times, resuming%n", kills);
        new BackfillRunner(quiet, Duration.ofSeconds(5))
            .run("bench-b", session.config(), session.postgres());
        long repeated = repeated(provider, "judge-model-3");
        long lookups = provider.requests().stream().filter(r -> r.method().equals("GET")).count();
        long backfillCalls = calls(provider, "judge-model-3");
        boolean equal =
            BackfillDiff.labels(
                    session.config(), BackfillOptions.branch("bench-a"), session.runIds("bench-a"))
                .equals(
                    BackfillDiff.labels(
                        session.config(),
                        BackfillOptions.branch("bench-b"),
                        session.runIds("bench-b")));
        boolean finished = session.store().get("bench-b").status() == Backfill.Status.FINISHED;
        long before = provider.requestCount();
        new BackfillRunner(quiet, Duration.ofSeconds(5))
            .run("bench-b", session.config(), session.postgres());
        long rerun = provider.requestCount() - before;
        return new Figures(
            items,
            documentsSeconds,
            backfillSeconds,
            repeated,
            lookups,
            kills,
            equal && finished,
            rerun,
            backfillCalls);
      }
    } finally {
      delete(dir);
    }
  }

  public static void print(Figures f, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "documents job %.1f s, backfill %.1f s (two runs each) over the same %d inputs: ratio %.3f%n"
            + "killed backfill: %d kills, %d calls, %d repeated, %d stored completions looked up"
            + " (calls in flight at a kill), rows equal to a clean backfill's: %s; a finished"
            + " backfill run again made %d calls%n",
        f.documentsSeconds(),
        f.backfillSeconds(),
        f.items(),
        f.ratio(),
        f.kills(),
        f.backfillCalls(),
        f.repeatedCalls(),
        f.storedLookups(),
        f.rowsEqual(),
        f.rerunCalls());
    out.printf(
        Locale.ROOT,
        "RESULT bench=backfill items=%d ratio=%.3f remote_calls_repeated=%d stored_lookups=%d"
            + " kills=%d rows_equal=%s rerun_calls=%d documents_s=%.1f backfill_s=%.1f%n",
        f.items(),
        f.ratio(),
        f.repeatedCalls(),
        f.storedLookups(),
        f.kills(),
        f.rowsEqual(),
        f.rerunCalls(),
        f.documentsSeconds(),
        f.backfillSeconds());
  }

  /** The backfill's settings: remote sentiment by model {@code judge-<n>}, no local model. */
  private static Map<String, String> upgrade(LoopbackOpenAiServer provider, Path dir, int n)
      throws IOException {
    return Map.of(
        ModelOptions.SENTIMENT.key(), "",
        RemoteOptions.TEXT_TASK.key(), "sentiment",
        RemoteOptions.PROVIDERS.key(), providers(provider, dir, n).toString());
  }

  private static Path providers(LoopbackOpenAiServer provider, Path dir, int n) throws IOException {
    // a provider that stores chat completions, as OpenAI does: every call is journaled before it
    // leaves, and one in flight at a kill is fetched on resume instead of paid again
    return provider.writeProvidersFile(
        dir.resolve("providers-" + n + ".yaml"),
        null,
        true,
        """
          - id: judge-%d
            model: judge-model-%d
            tasks: [sentiment]
            cost: {input-per-1k: 0.001, output-per-1k: 0.002}
        """
            .formatted(n, n));
  }

  /**
   * {@code n} generated reviews in {@code dir}, of four tones, each text different (its number), so
   * no answer comes from a cache.
   */
  public static Path reviews(Path dir, int n) throws IOException {
    Files.createDirectories(dir);
    String[] texts = {
      "The screen is great and I love the battery.",
      "Terrible support, the worst purchase; it arrived broken.",
      "A grey box with a cable and a manual.",
      "Nice colours, but the hinge feels poor and the sound is bad."
    };
    for (int i = 0; i < n; i++) {
      Files.writeString(dir.resolve("review-%05d.txt".formatted(i)), texts[i % 4] + " #" + i);
    }
    return dir;
  }

  private static long calls(LoopbackOpenAiServer provider, String model) {
    long n = 0;
    for (LoopbackRequest r : provider.requests()) {
      if (r.body().contains("\"" + model + "\"")) {
        n++;
      }
    }
    return n;
  }

  /** Calls to {@code model} beyond the first for the same review. */
  private static long repeated(LoopbackOpenAiServer provider, String model) {
    Map<String, Long> perReview = new HashMap<>();
    for (LoopbackRequest r : provider.requests()) {
      if (r.body().contains("\"" + model + "\"")) {
        Matcher m = REVIEW.matcher(r.body());
        perReview.merge(m.find() ? m.group(1) : r.body(), 1L, Long::sum);
      }
    }
    return perReview.values().stream().mapToLong(n -> n - 1).sum();
  }

  private static void delete(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      paths
          .sorted(java.util.Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException ignored) {
                  // a leftover temporary file
                }
              });
    }
  }
}
