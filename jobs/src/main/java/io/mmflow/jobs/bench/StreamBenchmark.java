package io.mmflow.jobs.bench;

import io.mmflow.connectors.embedded.EmbeddedKafkaBroker;
import io.mmflow.connectors.embedded.EmbeddedPostgresServer;
import io.mmflow.connectors.kafka.FeedProducer;
import io.mmflow.core.config.IcebergOptions;
import io.mmflow.core.config.KafkaOptions;
import io.mmflow.core.config.ModelOptions;
import io.mmflow.core.config.PostgresOptions;
import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.core.util.Folders;
import io.mmflow.datasets.feeds.SyntheticFeed;
import io.mmflow.datasets.models.audio.ToneCtcModelBuilder;
import io.mmflow.jobs.feeds.FeedsJob;
import io.mmflow.jobs.runtime.JobEnvironment;
import io.mmflow.jobs.runtime.ServingDatabase;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code bin/mmflow bench stream}: the feeds job running unbounded on a MiniCluster against an
 * embedded Kafka broker (topic with {@code LogAppendTime}, so a record's timestamp is its append
 * time) and an embedded PostgreSQL, fed by {@link FeedProducer} at a fixed rate with {@link
 * SyntheticFeed} events, either at a fixed rate ({@link #run}) or searching the highest rate the
 * job holds, against the same search of a bare consumer loop ({@link #search}). Measured:
 *
 * <ul>
 *   <li>latency from the Kafka append to the Postgres row: {@code updated_at} (set with {@code
 *       clock_timestamp()} when the row is written) minus the record timestamp carried in the
 *       result's {@code source.kafka.timestamp}, per modality, p50/p95/p99 over the timed phase;
 *   <li>sustained items per second: the timed phase's items over the time from the first append to
 *       the last row;
 *   <li>Iceberg visibility: for each commit (snapshot) in the timed phase, its commit time minus
 *       the middle of the event-time range of the data files it added (the events' time is their
 *       send time), weighted by rows; compared with the checkpoint interval, which paces commits.
 * </ul>
 */
public final class StreamBenchmark {
  static final String TOPIC = "bench-feed";

  /** The figures of one run at a fixed rate. */
  public record Result(
      double rate,
      StreamLatencies.Window window,
      double icebergVisibleS,
      double checkpointS,
      double cpuUsPerItem,
      double heapGrowth) {
    Result withHeap(double growth) {
      return new Result(rate, window, icebergVisibleS, checkpointS, cpuUsPerItem, growth);
    }
  }

  /** The heap in use after a full collection: what the JVM holds live. */
  static long liveHeap() {
    java.lang.management.MemoryMXBean memory =
        java.lang.management.ManagementFactory.getMemoryMXBean();
    memory.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  /**
   * The figures of a rate search: the job's, and the bare loop's (null when the mix is not text
   * only: the bare loop reads texts alone).
   */
  public record Search(StreamRateSearch.Outcome job, StreamRateSearch.Outcome bare) {
    /** The job's highest rate held over the bare loop's; NaN without both. */
    double ratioBare() {
      return bare == null || bare.maxRps() == 0 ? Double.NaN : job.maxRps() / bare.maxRps();
    }
  }

  /** What runs against the embedded broker and database with the bench's configuration. */
  interface Body<T> {
    T run(Configuration config, EmbeddedKafkaBroker broker, String url) throws Exception;
  }

  private StreamBenchmark() {}

  /** The job at {@code rate} events per second: a warm-up, then a timed phase. */
  public static Result run(
      Configuration base,
      double rate,
      Duration warmup,
      Duration duration,
      SyntheticFeed.Mix mix,
      Path corpus,
      PrintStream log)
      throws Exception {
    return withServices(
        base,
        mix,
        log,
        (config, broker, url) -> {
          double checkpointS = checkpointS(config);
          log.printf(
              "%s events/s (%s) for %d s after %d s of warm-up%n",
              fmt(rate), mix, duration.toSeconds(), warmup.toSeconds());
          SyntheticFeed feed = feed(mix, corpus);
          return withJobFed(
              config,
              broker,
              feed,
              url,
              log,
              load -> {
                if (!warmup.isZero()) {
                  FeedProducer.Report w = load.send(rate, warmup);
                  log.printf("warm-up: %d events sent%n", w.sent());
                }
                // the live heap after the warm-up (a full GC, before the timed phase, whose
                // events wait until the warm-up's backlog has drained)
                long heapStart = liveHeap();
                StreamLatencies.awaitWritten(url, 0, feed.produced(), Duration.ofSeconds(60));
                long first = feed.produced();
                Instant start = Instant.now();
                MachineCpu.Sample cpu = MachineCpu.sample();
                FeedProducer.Report report = load.send(rate, duration);
                long last = feed.produced();
                log.printf(
                    "timed: %d events sent at %s/s (%d errors)%n",
                    report.sent(), fmt(report.rate()), report.errors());
                Result r = measure(config, url, rate, first, last, start, cpu, checkpointS, log);
                long heapEnd = liveHeap();
                log.printf(
                    "  live heap after a full GC: %d MB after the warm-up, %d MB at the end%n",
                    heapStart >> 20, heapEnd >> 20);
                return r.withHeap((double) heapEnd / heapStart - 1);
              });
        });
  }

  /**
   * The highest rate the job holds at p99 under {@value StreamRateSearch#P99_LIMIT_MS} ms ({@link
   * StreamRateSearch}) and, for text mixes when {@code anchor}, the same search of {@link
   * BareFeedLoop} in turns with the job's, step for step ({@link BareLoopSearch}).
   */
  public static Search search(
      Configuration base,
      StreamRateSearch.Settings settings,
      boolean anchor,
      SyntheticFeed.Mix mix,
      Path corpus,
      PrintStream log)
      throws Exception {
    return withServices(
        base,
        mix,
        log,
        (config, broker, url) -> {
          log.printf(
              "rate search (%s): %d s of warm-up at %s events/s, then steps of %d s%n",
              mix,
              settings.warmup().toSeconds(),
              fmt(settings.start()),
              settings.step().toSeconds());
          SyntheticFeed feed = feed(mix, corpus);
          boolean bare = anchor && mix.image() == 0 && mix.audio() == 0;
          if (anchor && !bare) {
            log.println("bare loop: not run (it reads text parts only; give a text mix)");
          }
          return withJobFed(
              config,
              broker,
              feed,
              url,
              log,
              load -> {
                if (!bare) {
                  return new Search(StreamRateSearch.run("job", load, settings, log), null);
                }
                return BareLoopSearch.beside(
                    new StreamRateSearch("job", load, settings, log),
                    config,
                    broker,
                    url,
                    feed,
                    settings,
                    log);
              });
        });
  }

  /** Starts the broker and the database, and configures the job to use them. */
  static <T> T withServices(
      Configuration base, SyntheticFeed.Mix mix, PrintStream log, Body<T> body) throws Exception {
    Path dir = Files.createTempDirectory("mmflow-bench-stream");
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(null, 0)) {
      Configuration config = new Configuration(base);
      int parallelism = config.get(RuntimeOptions.PARALLELISM);
      createTopic(broker, TOPIC, parallelism);
      config.set(KafkaOptions.BOOTSTRAP_SERVERS, broker.bootstrapServers());
      config.set(KafkaOptions.TOPIC, TOPIC);
      config.set(KafkaOptions.STARTING_OFFSETS, KafkaOptions.StartingOffsets.EARLIEST);
      config.set(RuntimeOptions.DATA_DIR, dir.toString());
      config.set(PostgresOptions.URL, postgres.jdbcUrl());
      if (mix.audio() > 0 && config.get(ModelOptions.SPEECH).isBlank()) {
        speechModel(config, dir.resolve("models"), log);
      }
      log.printf(
          "feeds job, parallelism %d, checkpoints every %.1f s%n",
          parallelism, checkpointS(config));
      return body.run(config, broker, postgres.jdbcUrl());
    } finally {
      Folders.deleteQuietly(dir);
    }
  }

  /** What runs while the job runs, with the producer of its topic. */
  interface Fed<T> {
    T run(StreamRateSearch.Load load) throws Exception;
  }

  /**
   * A topic of the bench whose records carry their append time as their timestamp: the start of
   * every latency measured.
   */
  static void createTopic(EmbeddedKafkaBroker broker, String topic, int partitions) {
    broker.createTopic(topic, partitions, Map.of("message.timestamp.type", "LogAppendTime"));
  }

  /** Runs {@code body} with a producer of the job's topic while the job runs. */
  private static <T> T withJobFed(
      Configuration config,
      EmbeddedKafkaBroker broker,
      SyntheticFeed feed,
      String url,
      PrintStream log,
      Fed<T> body)
      throws Exception {
    return withJob(
        config,
        log,
        () -> {
          try (FeedProducer producer =
              new FeedProducer(broker.bootstrapServers(), TOPIC, Map.of())) {
            return body.run(new StreamRateSearch.Load(producer, feed, url));
          }
        });
  }

  /** Runs {@code body} while the feeds job runs on a MiniCluster; cancels the job after. */
  private static <T> T withJob(
      Configuration config, PrintStream log, java.util.concurrent.Callable<T> body)
      throws Exception {
    return withJob(config, log, FeedsJob.Taps.NONE, body);
  }

  /** {@link #withJob(Configuration, PrintStream, java.util.concurrent.Callable)} with taps. */
  static <T> T withJob(
      Configuration config,
      PrintStream log,
      FeedsJob.Taps taps,
      java.util.concurrent.Callable<T> body)
      throws Exception {
    try (ServingDatabase db = ServingDatabase.open(config)) {
      JobEnvironment.prepareSinks(config, db.connection(), log);
      StreamLatencies.index(config.get(PostgresOptions.URL));
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.createLocalEnvironment(
              config.get(RuntimeOptions.PARALLELISM),
              JobEnvironment.localFlinkConfiguration(config));
      JobEnvironment.configure(env, config);
      FeedsJob.build(env, config, db.connection(), taps);
      JobClient job = env.executeAsync("mmflow-bench-stream");
      try {
        awaitRunning(job);
        return body.call();
      } finally {
        job.cancel().get();
      }
    }
  }

  static SyntheticFeed feed(SyntheticFeed.Mix mix, Path corpus) throws IOException {
    return new SyntheticFeed(
        SyntheticFeed.Settings.of(42).withMix(mix), SyntheticFeed.Texts.load(corpus));
  }

  private static double checkpointS(Configuration config) {
    return config.get(RuntimeOptions.CHECKPOINT_INTERVAL).toMillis() / 1000.0;
  }

  /**
   * Audio parts need a speech-to-text model and the default registry has none: adds {@code
   * tone-ctc}, the wav2vec2-shaped CTC model the project builds (it reads the tone "speech" that
   * {@link SyntheticFeed} renders), so audio parts are transcribed and their latency measured.
   */
  private static void speechModel(Configuration config, Path dir, PrintStream log)
      throws IOException {
    Path registry = ToneCtcModelBuilder.build(dir, true);
    config.set(ModelOptions.REGISTRY, config.get(ModelOptions.REGISTRY) + "," + registry);
    config.set(ModelOptions.SPEECH, ToneCtcModelBuilder.MODEL_ID);
    log.printf(
        "audio parts: speech-to-text with %s (built by the project; mmflow.models.speech picks"
            + " your own)%n",
        ToneCtcModelBuilder.MODEL_ID);
  }

  private static Result measure(
      Configuration config,
      String url,
      double rate,
      long first,
      long last,
      Instant start,
      MachineCpu.Sample cpuAtStart,
      double checkpointS,
      PrintStream log)
      throws Exception {
    // every timed item's text has its row, or 60 s have passed
    long written = StreamLatencies.awaitWritten(url, first, last, Duration.ofSeconds(60));
    MachineCpu.Usage used = MachineCpu.sample().since(cpuAtStart);
    double cpu = written == 0 ? Double.NaN : used.machine() / written;
    log.println("  CPU us an item by thread: " + used.perItem(written, 12));
    StreamLatencies.Window w = StreamLatencies.measure(url, first, last, written);
    log.println("  p99 ms by second of the timed phase (stalls show as peaks): " + w.perSecond());
    // let the last checkpoint after the timed phase commit
    Thread.sleep((long) (checkpointS * 2500));
    double visible =
        config.get(IcebergOptions.ENABLED)
            ? IcebergVisibility.since(config, start, log)
            : Double.NaN;
    w.byModality()
        .forEach(
            (m, p) ->
                log.printf(
                    "  %-6s n=%-7d p50 %6.0f ms  p95 %6.0f ms  p99 %6.0f ms%n",
                    m, (long) p[3], p[0], p[1], p[2]));
    log.printf(
        "  written %d of %d items; sustained %s items/s; Iceberg visible after %.2f s"
            + " (checkpoint interval %.1f s); machine CPU %.0f us an item%n",
        w.written(), w.items(), fmt(w.sustainedRps()), visible, checkpointS, cpu);
    return new Result(rate, w, visible, checkpointS, cpu, Double.NaN);
  }

  public static void print(Result r, PrintStream out) {
    double[] text = r.window().text();
    out.printf(
        "RESULT bench=stream rate=%s sustained_rps=%s p50_ms=%.0f p95_ms=%.0f p99_ms=%.0f"
            + " iceberg_visible_s=%.2f cpu_us_per_item=%.0f heap_growth=%.3f%n",
        fmt(r.rate()),
        fmt(r.window().sustainedRps()),
        text[0],
        text[1],
        text[2],
        r.icebergVisibleS(),
        r.cpuUsPerItem(),
        r.heapGrowth());
  }

  public static void print(Search s, PrintStream out) {
    StreamRateSearch.Step best = s.job().best();
    out.printf(
        "RESULT bench=stream max_rps=%s p99_ms=%.0f bare_rps=%s ratio_bare=%s%n",
        fmt(s.job().maxRps()),
        best == null ? Double.NaN : best.window().text()[2],
        s.bare() == null ? "NaN" : fmt(s.bare().maxRps()),
        String.format(Locale.ROOT, "%.3f", s.ratioBare()));
  }

  private static void awaitRunning(JobClient job) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (job.getJobStatus().get() == JobStatus.RUNNING) {
        Thread.sleep(2000); // tasks deployed and sources assigned
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the feeds job did not start within 60 s");
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
