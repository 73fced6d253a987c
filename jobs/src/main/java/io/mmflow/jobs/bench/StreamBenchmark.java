package io.mmflow.jobs.bench;

import io.mmflow.connectors.embedded.EmbeddedKafkaBroker;
import io.mmflow.connectors.embedded.EmbeddedPostgresServer;
import io.mmflow.connectors.kafka.FeedProducer;
import io.mmflow.connectors.sink.iceberg.IcebergTables;
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
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;

/**
 * {@code bin/mmflow bench stream}: the feeds job running unbounded on a MiniCluster against an
 * embedded Kafka broker (topic with {@code LogAppendTime}, so a record's timestamp is its append
 * time) and an embedded PostgreSQL, fed by {@link FeedProducer} at a fixed rate with {@link
 * SyntheticFeed} events. Measured:
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

  /** The figures of one run. */
  public record Result(
      double rate,
      long items,
      long written,
      double sustainedRps,
      Map<String, double[]> latencyByModality,
      double icebergVisibleS,
      double checkpointS) {
    /** p50, p95, p99 of text parts (or of all modalities when there is no text). */
    double[] text() {
      return latencyByModality.getOrDefault(
          "text", latencyByModality.getOrDefault("all", new double[] {Double.NaN, 0, 0, 0}));
    }
  }

  private StreamBenchmark() {}

  public static Result run(
      Configuration base,
      double rate,
      Duration warmup,
      Duration duration,
      SyntheticFeed.Mix mix,
      Path corpus,
      PrintStream log)
      throws Exception {
    Path dir = Files.createTempDirectory("mmflow-bench-stream");
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(null, 0)) {
      Configuration config = new Configuration(base);
      int parallelism = config.get(RuntimeOptions.PARALLELISM);
      broker.createTopic(TOPIC, parallelism, Map.of("message.timestamp.type", "LogAppendTime"));
      config.set(KafkaOptions.BOOTSTRAP_SERVERS, broker.bootstrapServers());
      config.set(KafkaOptions.TOPIC, TOPIC);
      config.set(KafkaOptions.STARTING_OFFSETS, KafkaOptions.StartingOffsets.EARLIEST);
      config.set(RuntimeOptions.DATA_DIR, dir.toString());
      config.set(PostgresOptions.URL, postgres.jdbcUrl());
      if (mix.audio() > 0 && config.get(ModelOptions.SPEECH).isBlank()) {
        speechModel(config, dir.resolve("models"), log);
      }
      double checkpointS = config.get(RuntimeOptions.CHECKPOINT_INTERVAL).toMillis() / 1000.0;
      log.printf(
          "feeds job, parallelism %d, checkpoints every %.1f s; %s events/s (%s) for %d s after"
              + " %d s of warm-up%n",
          parallelism, checkpointS, fmt(rate), mix, duration.toSeconds(), warmup.toSeconds());

      try (ServingDatabase db = ServingDatabase.open(config)) {
        JobEnvironment.prepareSinks(config, db.connection(), log);
        StreamExecutionEnvironment env =
            StreamExecutionEnvironment.createLocalEnvironment(
                parallelism, JobEnvironment.localFlinkConfiguration(config));
        JobEnvironment.configure(env, config);
        new FeedsJob().build(env, config, db.connection());
        JobClient job = env.executeAsync("mmflow-bench-stream");
        try {
          awaitRunning(job);
          SyntheticFeed feed =
              new SyntheticFeed(
                  SyntheticFeed.Settings.of(42).withMix(mix), SyntheticFeed.Texts.load(corpus));
          try (FeedProducer producer =
              new FeedProducer(broker.bootstrapServers(), TOPIC, Map.of())) {
            if (!warmup.isZero()) {
              FeedProducer.Report w = producer.run(rate, warmup, t -> message(feed, t));
              log.printf("warm-up: %d events sent%n", w.sent());
            }
            long first = feed.produced();
            Instant start = Instant.now();
            FeedProducer.Report report = producer.run(rate, duration, t -> message(feed, t));
            long last = feed.produced();
            log.printf(
                "timed: %d events sent at %s/s (%d errors)%n",
                report.sent(), fmt(report.rate()), report.errors());
            return measure(config, postgres.jdbcUrl(), rate, first, last, start, checkpointS, log);
          }
        } finally {
          job.cancel().get();
        }
      }
    } finally {
      Folders.deleteQuietly(dir);
    }
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

  private static FeedProducer.Message message(SyntheticFeed feed, Instant sentAt) {
    SyntheticFeed.Event e = feed.next(sentAt);
    return new FeedProducer.Message(e.key(), e.json());
  }

  private static Result measure(
      Configuration config,
      String url,
      double rate,
      long first,
      long last,
      Instant start,
      double checkpointS,
      PrintStream log)
      throws Exception {
    long items = last - first;
    String timedItems =
        " split_part(item_id, '-', 2)::bigint >= "
            + first
            + " AND split_part(item_id, '-', 2)::bigint < "
            + last;
    String timed = " WHERE task = 'sentiment' AND" + timedItems;
    // every timed item's text has its row, or 60 s have passed
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    long written = 0;
    while (System.nanoTime() < deadline) {
      written = count(url, "SELECT count(DISTINCT item_id) FROM results" + timed);
      if (written >= items) {
        break;
      }
      Thread.sleep(250);
    }
    Map<String, List<Double>> latencies = new TreeMap<>();
    double firstAppend = Double.MAX_VALUE;
    double lastRow = 0;
    List<double[]> timeline = new ArrayList<>(); // (append, latency) of every row
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                // every result row of the timed items; rows without the Kafka timestamp (OCR
                // pages) count from their event time, which the producer stamps at send time
                "SELECT modality, extract(epoch FROM updated_at) * 1000,"
                    + " coalesce((attributes->>'source.kafka.timestamp')::bigint,"
                    + " (extract(epoch FROM event_time) * 1000)::bigint) FROM results WHERE"
                    + timedItems)) {
      while (rs.next()) {
        double row = rs.getDouble(2);
        double append = rs.getLong(3);
        latencies.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(row - append);
        latencies.computeIfAbsent("all", k -> new ArrayList<>()).add(row - append);
        timeline.add(new double[] {append, row - append});
        firstAppend = Math.min(firstAppend, append);
        lastRow = Math.max(lastRow, row);
      }
    }
    Map<String, double[]> byModality = new TreeMap<>();
    latencies.forEach(
        (m, l) -> {
          Collections.sort(l);
          byModality.put(m, new double[] {pct(l, 50), pct(l, 95), pct(l, 99), l.size()});
        });
    log.println(
        "  p99 ms by second of the timed phase (stalls show as peaks): "
            + bySecond(timeline, firstAppend));
    double sustained = lastRow > firstAppend ? written / ((lastRow - firstAppend) / 1000.0) : 0;
    // let the last checkpoint after the timed phase commit
    Thread.sleep((long) (checkpointS * 2500));
    double visible = icebergVisible(config, start, log);
    byModality.forEach(
        (m, p) ->
            log.printf(
                "  %-6s n=%-7d p50 %6.0f ms  p95 %6.0f ms  p99 %6.0f ms%n",
                m, (long) p[3], p[0], p[1], p[2]));
    log.printf(
        "  written %d of %d items; sustained %s items/s; Iceberg visible after %.2f s"
            + " (checkpoint interval %.1f s)%n",
        written, items, fmt(sustained), visible, checkpointS);
    return new Result(rate, items, written, sustained, byModality, visible, checkpointS);
  }

  /** The p99 latency of the rows appended in each second after {@code first}, space-separated. */
  static String bySecond(List<double[]> rows, double first) {
    Map<Integer, List<Double>> seconds = new TreeMap<>();
    for (double[] r : rows) {
      seconds.computeIfAbsent((int) ((r[0] - first) / 1000), k -> new ArrayList<>()).add(r[1]);
    }
    StringBuilder out = new StringBuilder();
    seconds.forEach(
        (second, l) -> {
          Collections.sort(l);
          out.append(out.isEmpty() ? "" : " ").append(Math.round(pct(l, 99)));
        });
    return out.toString();
  }

  /**
   * Row-weighted mean, over the results table's commits since {@code start}, of commit time minus
   * the middle of the event-time range of each data file the commit added.
   */
  static double icebergVisible(Configuration config, Instant start, PrintStream log) {
    Table table =
        IcebergTables.catalogLoader(config)
            .loadCatalog()
            .loadTable(IcebergTables.resultsTable(config));
    int eventTime = table.schema().findField("event_time").fieldId();
    double weighted = 0;
    long rows = 0;
    int commits = 0;
    for (Snapshot snapshot : table.snapshots()) {
      if (snapshot.timestampMillis() < start.toEpochMilli()) {
        continue;
      }
      commits++;
      for (DataFile file : snapshot.addedDataFiles(table.io())) {
        ByteBuffer lower = file.lowerBounds() == null ? null : file.lowerBounds().get(eventTime);
        ByteBuffer upper = file.upperBounds() == null ? null : file.upperBounds().get(eventTime);
        if (lower == null || upper == null) {
          continue;
        }
        long lo = Conversions.fromByteBuffer(Types.TimestampType.withZone(), lower);
        long hi = Conversions.fromByteBuffer(Types.TimestampType.withZone(), upper);
        double middleMs = (lo + hi) / 2000.0; // micros → ms
        weighted += (snapshot.timestampMillis() - middleMs) * file.recordCount();
        rows += file.recordCount();
      }
    }
    log.printf("  Iceberg: %d commits, %d rows since the timed phase began%n", commits, rows);
    return rows == 0 ? Double.NaN : weighted / rows / 1000.0;
  }

  public static void print(Result r, PrintStream out) {
    double[] text = r.text();
    out.printf(
        "RESULT bench=stream rate=%s sustained_rps=%s p50_ms=%.0f p95_ms=%.0f p99_ms=%.0f"
            + " iceberg_visible_s=%.2f%n",
        fmt(r.rate()), fmt(r.sustainedRps()), text[0], text[1], text[2], r.icebergVisibleS());
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

  private static long count(String url, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static double pct(List<Double> sorted, int p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
