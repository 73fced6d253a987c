package io.mmflow.jobs.feeds;

import static io.mmflow.jobs.feeds.FeedFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.connectors.embedded.EmbeddedKafkaBroker;
import io.mmflow.connectors.embedded.EmbeddedPostgresServer;
import io.mmflow.connectors.embedded.LoopbackOpenAiServer;
import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.jobs.deploy.StandaloneFlinkCluster;
import io.mmflow.jobs.runtime.JobEnvironment;
import io.mmflow.jobs.runtime.ServingDatabase;
import io.mmflow.operators.metrics.MmflowMetrics;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feeds job on a MiniCluster with {@code mmflow.runtime.metrics-port} set: Flink's Prometheus
 * reporter (flink-metrics-prometheus 2.0.0 on Flink 2.1.1) serves /metrics while the job runs, and
 * a scrape finds every metric of {@link MmflowMetrics#CATALOG} with a plausible value (counts that
 * match the input, spend and latencies above zero), no undocumented mmflow metric, Flink's
 * checkpoint metrics the dashboard uses, and each name documented in docs/operations.md and used by
 * the Grafana dashboard's queries only where it exists.
 */
class MetricsScrapeITCase {
  static final Path REPO = Path.of(System.getProperty("mmflow.repo.root", ".."));
  static final int EVENTS = 60;
  static final int MALFORMED = 3;
  static final int CLOSERS = 2;

  /** Events of the second phase: the texts of the first ten again, answered from the cache. */
  static final int REPEATS = 10;

  static final int TEXTS = EVENTS + CLOSERS + REPEATS;

  @Test
  void aScrapeDuringAFeedsRunFindsEveryDocumentedMetric(@TempDir Path dir) throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(null, 0);
        LoopbackOpenAiServer server = LoopbackOpenAiServer.start();
        KafkaProducer<byte[], byte[]> producer = FeedFixture.producer(broker)) {
      // one answer in five is not JSON: error results with a code, counted by code
      server.settings().badJsonRate(0.2).seed(7);
      Path providers =
          server.writeProvidersFile(
              dir.resolve("providers.yaml"),
              """
                - id: small
                  model: gpt-4o-mini
                  tasks: [summary]
                  cost: {input-per-1k: 0.00015, output-per-1k: 0.0006}
              """);
      broker.createTopic("feed", 2);
      int port = StandaloneFlinkCluster.freePort();
      Configuration config =
          FeedFixture.config(
              dir,
              broker,
              postgres,
              "feed",
              Map.of(
                  RuntimeOptions.METRICS_PORT.key(),
                  String.valueOf(port),
                  "mmflow.runtime.checkpoint-interval",
                  "500 ms",
                  "mmflow.remote.providers",
                  providers.toString(),
                  "mmflow.remote.text-task",
                  "summary",
                  "metrics.reporter.prom.interval",
                  "1 s"));
      List<String> keys = new ArrayList<>();
      List<byte[]> events = new ArrayList<>();
      for (int i = 0; i < EVENTS; i++) {
        keys.add("c" + i / 3);
        events.add(FeedFixture.textEvent("i" + i, "c" + i / 3, T0.plusMillis(100L * i), text(i)));
      }
      for (int i = 0; i < MALFORMED; i++) {
        keys.add("bad");
        events.add("{not an event".getBytes(StandardCharsets.UTF_8));
      }
      FeedFixture.send(producer, "feed", keys, events);
      // an hour later on each partition: the watermark passes the conversations' windows
      for (int partition = 0; partition < 2; partition++) {
        String item = "closer" + partition;
        producer
            .send(
                new ProducerRecord<>(
                    "feed",
                    partition,
                    item.getBytes(StandardCharsets.UTF_8),
                    FeedFixture.textEvent(item, item, T0.plusSeconds(3600), "Fine, thanks.")))
            .get();
      }

      try (ServingDatabase db = ServingDatabase.open(config)) {
        JobEnvironment.prepareSinks(config, db.connection(), System.out);
        StreamExecutionEnvironment env =
            StreamExecutionEnvironment.createLocalEnvironment(
                2, JobEnvironment.localFlinkConfiguration(config));
        JobEnvironment.configure(env, config);
        FeedsJob.build(env, config, db.connection(), FeedsJob.Taps.NONE);
        JobClient job = env.executeAsync("metrics-scrape");
        try {
          // every item's local sentiment and remote summary written, and a checkpoint completed
          FeedFixture.await(
              "results in PostgreSQL",
              Duration.ofMinutes(3),
              () ->
                  FeedFixture.queryLong(postgres.jdbcUrl(), "SELECT count(*) FROM results")
                      == 2L * (EVENTS + CLOSERS));
          // phase 2: texts answered before, sent again (same keys: the same subtask's cache)
          List<String> again = new ArrayList<>();
          List<byte[]> repeats = new ArrayList<>();
          for (int i = 0; i < REPEATS; i++) {
            again.add("c" + i / 3);
            repeats.add(
                FeedFixture.textEvent("r" + i, "c" + i / 3, T0.plusSeconds(3601 + i), text(i)));
          }
          FeedFixture.send(producer, "feed", again, repeats);
          FeedFixture.await(
              "the repeated texts' results",
              Duration.ofMinutes(1),
              () ->
                  FeedFixture.queryLong(postgres.jdbcUrl(), "SELECT count(*) FROM results")
                      == 2L * TEXTS);
          Scrape scrape = awaitScrape(port);

          // every documented mmflow metric is there, and nothing undocumented
          for (MmflowMetrics.Documented m : MmflowMetrics.CATALOG) {
            assertThat(scrape.named(m.name())).as("metric %s", m.name()).isNotEmpty();
          }
          for (String name : scrape.names()) {
            if (name.startsWith(MmflowMetrics.PROMETHEUS_PREFIX)) {
              String bare = name.substring(MmflowMetrics.PROMETHEUS_PREFIX.length());
              assertThat(
                      MmflowMetrics.CATALOG.stream()
                          .anyMatch(m -> bare.equals(m.name()) || bare.startsWith(m.name() + "_")))
                  .as("%s is in MmflowMetrics.CATALOG", name)
                  .isTrue();
            }
          }
          for (Sample s : scrape.samples()) {
            if (s.name().startsWith(MmflowMetrics.PROMETHEUS_PREFIX)) {
              assertThat(s.value()).as("%s", s).isFinite().isGreaterThanOrEqualTo(0);
            }
          }

          // counts that match the input
          assertThat(scrape.sum("items_read", Map.of())).isEqualTo(TEXTS + MALFORMED);
          assertThat(scrape.sum("dead_letters", Map.of())).isEqualTo(MALFORMED);
          assertThat(scrape.sum("code_dead_letters", Map.of("code", "MMF_1010")))
              .isEqualTo(MALFORMED);
          assertThat(scrape.sum("fused", Map.of())).isPositive();
          String series = "modality_task_provider_model_";
          assertThat(
                  scrape.sum(
                      series + "results",
                      Map.of("modality", "text", "task", "sentiment", "provider", "onnxruntime")))
              .isEqualTo(TEXTS);
          assertThat(scrape.sum(series + "results", Map.of("task", "summary"))).isEqualTo(TEXTS);
          double errors = scrape.sum(series + "errors", Map.of("task", "summary"));
          assertThat(errors).isPositive();
          assertThat(scrape.sum(series + "code_errors", Map.of("task", "summary")))
              .isEqualTo(errors);
          assertThat(scrape.sum(series + "cache_hits", Map.of("task", "summary"))).isPositive();
          assertThat(scrape.sum(series + "spend_micro_usd", Map.of("task", "summary")))
              .isPositive();
          assertThat(scrape.sum(series + "latency_ms_count", Map.of("task", "sentiment")))
              .isPositive();
          assertThat(scrape.sum("batch_size_count", Map.of())).isPositive();
          assertThat(scrape.sum("records_inferred", Map.of())).isEqualTo(TEXTS);
          assertThat(scrape.sum("remote_task_calls", Map.of("task", "summary")))
              .isPositive()
              .isLessThan(TEXTS);
          assertThat(scrape.sum("remote_task_spend_micro_usd", Map.of("task", "summary")))
              .isPositive();
          for (Sample s : scrape.named("remote_task_candidate_breaker_state")) {
            assertThat(s.labels()).containsEntry("candidate", "small");
            assertThat(s.value()).isIn(0.0, 1.0, 2.0);
          }
          // Flink's own: what the dashboard shows of checkpoints and throughput
          assertThat(scrape.total("flink_jobmanager_job_numberOfCompletedCheckpoints"))
              .isPositive();
          assertThat(scrape.names()).contains("flink_taskmanager_job_task_operator_pendingRecords");
          assertThat(scrape.total("flink_taskmanager_job_task_operator_numRecordsIn")).isPositive();

          // the docs name every metric; the dashboard queries only metrics that exist
          String docs = Files.readString(REPO.resolve("docs/operations.md"));
          for (MmflowMetrics.Documented m : MmflowMetrics.CATALOG) {
            assertThat(docs).as("docs/operations.md").contains("mmflow_" + m.name());
          }
          String dashboard = Files.readString(REPO.resolve("deploy/grafana/mmflow.json"));
          Matcher used = Pattern.compile("flink_[a-zA-Z0-9_]+").matcher(dashboard);
          int queries = 0;
          while (used.find()) {
            queries++;
            assertThat(scrape.names())
                .as("the dashboard's %s", used.group())
                .contains(used.group());
          }
          assertThat(queries).isGreaterThan(10);
        } finally {
          job.cancel().get();
        }
      }
    }
  }

  static String text(int i) {
    return (i % 2 == 0 ? "I love it, great phone " : "Awful, I hate it ") + i;
  }

  /** A sample of the scrape: metric name, labels, value. */
  record Sample(String name, Map<String, String> labels, double value) {}

  /** One scrape of /metrics, parsed. */
  record Scrape(List<Sample> samples) {
    List<String> names() {
      return samples.stream().map(Sample::name).distinct().toList();
    }

    List<Sample> named(String mmflowName) {
      String full = MmflowMetrics.PROMETHEUS_PREFIX + mmflowName;
      return samples.stream().filter(s -> s.name().equals(full)).toList();
    }

    /** The sum of mmflow metric {@code mmflowName} over samples whose labels hold {@code with}. */
    double sum(String mmflowName, Map<String, String> with) {
      return named(mmflowName).stream()
          .filter(s -> s.labels().entrySet().containsAll(with.entrySet()))
          .mapToDouble(Sample::value)
          .sum();
    }

    double total(String fullName) {
      return samples.stream()
          .filter(s -> s.name().equals(fullName))
          .mapToDouble(Sample::value)
          .sum();
    }
  }

  private static final Pattern LINE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"");

  static Scrape parse(String body) {
    List<Sample> samples = new ArrayList<>();
    for (String line : body.split("\n")) {
      Matcher m = LINE.matcher(line);
      if (line.startsWith("#") || !m.matches()) {
        continue;
      }
      Map<String, String> labels = new HashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
    }
    return new Scrape(samples);
  }

  /** Scrapes until the counters have caught up with what PostgreSQL already holds. */
  static Scrape awaitScrape(int port) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Scrape scrape = null;
    while (System.nanoTime() < deadline) {
      String body = get("http://localhost:" + port + "/metrics");
      // kept for a failure's reader: what the endpoint served last
      Files.writeString(Path.of("target", "metrics-scrape.txt"), body);
      scrape = parse(body);
      if (scrape.sum("items_read", Map.of()) == TEXTS + MALFORMED
          && scrape.sum("fused", Map.of()) > 0
          && scrape.total("flink_jobmanager_job_numberOfCompletedCheckpoints") > 0) {
        return scrape;
      }
      Thread.sleep(500);
    }
    return scrape;
  }

  static String get(String url) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
    c.setConnectTimeout(5000);
    c.setReadTimeout(10000);
    try {
      return new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      c.disconnect();
    }
  }
}
