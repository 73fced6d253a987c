package io.mmflow.jobs.bench;

import io.mmflow.connectors.embedded.EmbeddedKafkaBroker;
import io.mmflow.connectors.kafka.FeedProducer;
import io.mmflow.connectors.sink.iceberg.IcebergTables;
import io.mmflow.core.config.IcebergOptions;
import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.datasets.feeds.SyntheticFeed;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * The anchor's search of {@code bench stream}, in turns with the job's ({@link
 * StreamRateSearch#alternate}): the bare loop ({@link BareFeedLoop}) reads a topic of its own on
 * the same broker, in the same JVM, and writes the same PostgreSQL tables and Iceberg tables of its
 * own (two writers committing to one table would retry each other's commits). Until the
 * twenty-second session the job's whole search ran first and the loop's after it: minutes apart, on
 * a machine whose speed moved between them, so that their ratio moved from 0.44 to 1.00 on the same
 * code. Now a step of the job and a step of the loop follow each other; both consume throughout,
 * and what the machine does while both are idle is measured once, after the warm-ups, and logged.
 */
final class BareLoopSearch {
  static final String BARE_TOPIC = "bench-feed-bare";
  static final String BARE_RESULTS_TABLE = "bench_bare_results";
  static final String BARE_FUSED_TABLE = "bench_bare_fused_results";
  private static final Duration IDLE = Duration.ofSeconds(10);

  private BareLoopSearch() {}

  /**
   * The bare loop started beside the running job, on {@link #BARE_TOPIC} and Iceberg tables of its
   * own; both searches warmed up, then run in turns. The feed goes on from one to the other, so no
   * row is shared.
   */
  static StreamBenchmark.Search beside(
      StreamRateSearch job,
      Configuration config,
      EmbeddedKafkaBroker broker,
      String url,
      SyntheticFeed feed,
      StreamRateSearch.Settings settings,
      PrintStream log)
      throws Exception {
    Configuration bareConfig = new Configuration(config);
    bareConfig.set(IcebergOptions.RESULTS_TABLE, BARE_RESULTS_TABLE);
    bareConfig.set(IcebergOptions.FUSED_TABLE, BARE_FUSED_TABLE);
    if (bareConfig.get(IcebergOptions.ENABLED)) {
      IcebergTables.ensureTables(bareConfig);
    }
    int partitions = config.get(RuntimeOptions.PARALLELISM);
    StreamBenchmark.createTopic(broker, BARE_TOPIC, partitions);
    log.printf(
        "bare loop: %d consumer threads, no Flink, Iceberg tables %s and %s; in turns with the"
            + " job, a step each%n",
        partitions, BARE_RESULTS_TABLE, BARE_FUSED_TABLE);
    List<StreamRateSearch.Outcome> outcomes;
    BareFeedLoop loop =
        BareFeedLoop.start(bareConfig, broker.bootstrapServers(), BARE_TOPIC, partitions, url);
    try (loop;
        FeedProducer producer = new FeedProducer(broker.bootstrapServers(), BARE_TOPIC, Map.of())) {
      StreamRateSearch bare =
          new StreamRateSearch(
              "bare", new StreamRateSearch.Load(producer, feed, url), settings, log);
      job.warmUp();
      bare.warmUp();
      idle(log);
      outcomes = StreamRateSearch.alternate(List.of(job, bare));
    }
    loop.check(); // after its last commit: a loop that failed reports no rate
    log.println("  bare loop: " + loop.counts());
    return new StreamBenchmark.Search(outcomes.get(0), outcomes.get(1));
  }

  /** Logs what the machine does while both consumers wait: what each step's figures include. */
  private static void idle(PrintStream log) throws InterruptedException {
    MachineCpu.Sample before = MachineCpu.sample();
    Thread.sleep(IDLE.toMillis());
    MachineCpu.Usage used = MachineCpu.sample().since(before);
    log.printf(
        Locale.ROOT,
        "  both idle for %d s: the machine busy %.3f of a core; us a second by thread: %s%n",
        IDLE.toSeconds(),
        used.machine() / IDLE.toNanos() * 1000,
        used.perItem(IDLE.toSeconds(), 6));
  }
}
