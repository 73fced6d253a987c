package io.mmflow.operators.infer.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.connectors.embedded.Latency;
import io.mmflow.connectors.embedded.LoopbackOpenAiServer;
import io.mmflow.connectors.embedded.LoopbackRequest;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.ResultStatus;
import io.mmflow.core.model.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remote stage in a Flink MiniCluster job against the loopback OpenAI-compatible server: what
 * leaves (PII redacted), what comes back (canonical results with cost and provenance, cache hits
 * marked), and a fault mix where every record still ends as one result: with an outage in the
 * middle of a checkpointed job, the breaker opens and closes again, and the job neither restarts
 * nor fails a checkpoint.
 */
class RemoteInferenceITCase {
  private static final Path PII =
      Path.of(System.getProperty("mmflow.repo.root", ".."))
          .resolve("datasets/pii/pii-labelled.tsv");

  @TempDir Path dir;
  LoopbackOpenAiServer server;

  @BeforeEach
  void start() {
    server = LoopbackOpenAiServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Configuration config(String providerTimeout, Map<String, String> extra) throws Exception {
    Path providers =
        server.writeProvidersFile(
            dir.resolve("providers.yaml"),
            TimeUtils.parseDuration(providerTimeout),
            """
            - id: big
              model: gpt-4o
              tasks: [sentiment, summary, caption, transcription]
              cost: {input-per-1k: 0.005, output-per-1k: 0.015}
              quality: 0.9
            - id: small
              model: gpt-4o-mini
              tasks: [sentiment, summary]
              cost: {input-per-1k: 0.00015, output-per-1k: 0.0006}
              quality: 0.6
            - id: emb
              model: text-embedding-3-small
              tasks: [embedding]
              cost: {input-per-1k: 0.00002}
            """);
    Configuration c = new Configuration();
    c.setString("mmflow.remote.providers", providers.toString());
    c.setString("mmflow.remote.text-task", "sentiment");
    extra.forEach(c::setString);
    return c;
  }

  private static List<ModalityResult> run(
      Configuration config, List<RemoteRequest> requests, Task task) throws Exception {
    return run(config, requests, task, 2);
  }

  /** The remote stage over {@code requests}; at parallelism 1 and capacity 1 they go in order. */
  private static List<ModalityResult> run(
      Configuration config, List<RemoteRequest> requests, Task task, int parallelism)
      throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism);
    return collect(
        env.fromData(
            TypeInformation.of(RemoteRequest.class), requests.toArray(RemoteRequest[]::new)),
        task,
        config,
        "remote-test");
  }

  /** The remote stage over {@code requests} as a job named {@code name}; all its results. */
  private static List<ModalityResult> collect(
      DataStream<RemoteRequest> requests, Task task, Configuration config, String name)
      throws Exception {
    List<ModalityResult> out = new ArrayList<>();
    try (CloseableIterator<ModalityResult> it =
        RemoteStages.stage(requests, task, config, name).executeAndCollect(name)) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  private static RemoteRequest text(String id, String text) {
    return RemoteRequest.ofText(id, "file:/" + id, Instant.now(), Task.SENTIMENT, text);
  }

  @Test
  void noLabelledPiiReachesTheProviderAndResultsCarryCostProvenanceAndSpans() throws Exception {
    List<String> lines = Files.readAllLines(PII);
    List<RemoteRequest> requests = new ArrayList<>();
    Set<String> secrets = new java.util.HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      String[] cols = lines.get(i).split("\t");
      requests.add(text("pii-" + i, cols[0]));
      if (cols.length > 1) {
        for (String label : cols[1].split("\\|")) {
          secrets.add(label.substring(label.indexOf(':') + 1));
        }
      }
    }
    List<ModalityResult> results =
        run(config("10s", Map.of("mmflow.remote.routing", "ordered")), requests, Task.SENTIMENT);

    assertThat(results).hasSize(requests.size());
    assertThat(results).allMatch(r -> r.status() == ResultStatus.OK);
    String received =
        server.requests().stream().map(LoopbackRequest::body).collect(Collectors.joining("\n"));
    assertThat(secrets).hasSizeGreaterThan(40);
    for (String secret : secrets) {
      assertThat(received).as("sent to the provider").doesNotContain(secret);
    }
    assertThat(received).contains("[EMAIL]", "[PHONE]");
    ModalityResult first =
        results.stream().filter(r -> r.itemId().equals("pii-0")).findFirst().orElseThrow();
    assertThat(first.provenance().modelId()).isEqualTo("big"); // ordered: the first declared
    assertThat(first.provenance().modelVersion()).isEqualTo("gpt-4o");
    assertThat(first.cost().usd()).isPositive();
    assertThat(first.cost().inputTokens()).isPositive();
    assertThat(first.labels()).isNotEmpty();
    assertThat(first.entities()).extracting(e -> e.type()).contains("pii:email");
    assertThat(first.entities()).extracting(e -> e.text()).doesNotContain("jane.doe@example.com");
  }

  @Test
  void aTextOfTheSameMeaningIsASemanticCacheHitAndAnotherTextIsNot() throws Exception {
    server.settings().embeddingDimension(256);
    List<RemoteRequest> requests =
        List.of(
            text("a", "I love this phone, it is great."),
            text("b", "i LOVE this phone - it is GREAT"),
            text("c", "The battery died after two days."),
            text("d", "I love this phone, it is great."));
    Configuration config =
        config(
            "10s",
            Map.of(
                "mmflow.remote.routing", "lowest-cost",
                "mmflow.remote.capacity", "1",
                "mmflow.remote.cache.semantic-model", "emb",
                "mmflow.remote.cache.semantic-threshold", "0.9"));
    Map<String, ModalityResult> byId = new HashMap<>();
    run(config, requests, Task.SENTIMENT, 1).forEach(r -> byId.put(r.itemId(), r));
    assertThat(byId.values()).hasSize(4).allMatch(r -> r.status() == ResultStatus.OK);
    ModalityResult hit = byId.get("b");
    assertThat(hit.provenance().cacheHit()).isTrue();
    assertThat(hit.attributes()).containsEntry("cache_hit", "semantic");
    assertThat(Double.parseDouble(hit.attributes().get("cache_similarity"))).isGreaterThan(0.9);
    assertThat(hit.labels()).isEqualTo(byId.get("a").labels());
    assertThat(byId.get("a").provenance().cacheHit()).isFalse();
    assertThat(byId.get("c").provenance().cacheHit()).isFalse();
    // d repeats a exactly: the exact cache answers before any embedding is paid for
    assertThat(byId.get("d").attributes()).containsEntry("cache_hit", "exact");
    assertThat(byId.get("d").cost().usd()).isZero();
    // the other prompts were embedded (that cost is on their results); only a and c were asked
    Map<String, Long> paths =
        server.requests().stream()
            .collect(Collectors.groupingBy(LoopbackRequest::path, Collectors.counting()));
    assertThat(paths).containsEntry("/v1/embeddings", 3L).containsEntry("/v1/chat/completions", 2L);
    assertThat(hit.cost().usd()).isPositive().isLessThan(byId.get("a").cost().usd());
  }

  @Test
  void theEmbeddingTaskGivesEachTextAUnitVector() throws Exception {
    server.settings().embeddingDimension(32);
    List<ModalityResult> results =
        run(
            config("10s", Map.of()),
            List.of(text("x", "Great screen."), text("y", "Poor battery.")),
            Task.EMBEDDING);
    assertThat(results).hasSize(2);
    for (ModalityResult r : results) {
      assertThat(r.status()).isEqualTo(ResultStatus.OK);
      assertThat(r.task()).isEqualTo(Task.EMBEDDING);
      assertThat(r.provenance().modelId()).isEqualTo("emb");
      assertThat(r.embedding()).hasSize(32);
      double norm = 0;
      for (float v : r.embedding()) {
        norm += v * v;
      }
      assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
      assertThat(r.cost().usd()).isPositive();
    }
  }

  @Test
  void aSemanticCacheModelWithoutTheEmbeddingTaskStopsTheJobWithAClearMessage() throws Exception {
    Configuration config = config("10s", Map.of("mmflow.remote.cache.semantic-model", "small"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RemoteStages.check(config))
        .isInstanceOfSatisfying(
            io.mmflow.core.error.MmflowException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION_INVALID))
        .hasMessageContaining("mmflow.remote.cache.semantic-model")
        .hasMessageContaining("'small' does not declare task 'embedding'");
  }

  @Test
  void aRepeatedTextIsServedFromTheCacheAndTheLowestCostRouteIsTaken() throws Exception {
    List<RemoteRequest> requests = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      requests.add(text("t" + i, i % 2 == 0 ? "I love this phone." : "Terrible battery."));
    }
    Configuration config =
        config(
            "10s", Map.of("mmflow.remote.routing", "lowest-cost", "mmflow.remote.capacity", "1"));
    List<ModalityResult> results = run(config, requests, Task.SENTIMENT, 1);
    assertThat(results).hasSize(6).allMatch(r -> r.status() == ResultStatus.OK);
    assertThat(results).allMatch(r -> r.provenance().modelId().equals("small"));
    assertThat(results.stream().filter(r -> r.provenance().cacheHit()).count()).isEqualTo(4);
    assertThat(server.requestCount()).isEqualTo(2); // two distinct texts, each asked once
    assertThat(results.stream().filter(r -> r.provenance().cacheHit()))
        .allMatch(r -> r.cost().usd() == 0);
  }

  @Test
  void underServerErrorsTimeoutsAndRateLimitsEveryRecordEndsOkOrCoded() throws Exception {
    server
        .settings()
        .latency(Latency.fixed(5))
        .serverErrorRate(0.3)
        .timeoutRate(0.1)
        .rateLimitRate(0.1)
        .retryAfterSeconds(1);
    List<RemoteRequest> requests = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      requests.add(text("f" + i, "Review number " + i + " was fine."));
    }
    List<ModalityResult> results =
        run(
            config(
                "400ms",
                Map.of(
                    "mmflow.remote.backoff", "20ms",
                    "mmflow.remote.timeout", "30s",
                    "mmflow.remote.max-attempts", "4",
                    // half the calls fail: keep the breakers closed to see the retries work
                    "mmflow.remote.breaker.failure-rate", "95")),
            requests,
            Task.SENTIMENT);

    assertThat(results).hasSize(200);
    assertThat(results.stream().map(ModalityResult::itemId).distinct().count()).isEqualTo(200);
    Map<Object, Long> outcomes = new HashMap<>();
    for (ModalityResult r : results) {
      outcomes.merge(r.status() == ResultStatus.OK ? "ok" : r.error().code(), 1L, Long::sum);
    }
    // a call fails half the time; with 4 attempts 1 - 0.5^4 = 94% of records get through
    assertThat(outcomes.get("ok")).as(outcomes.toString()).isGreaterThan(160);
    assertThat(outcomes.keySet())
        .allMatch(
            k ->
                k.equals("ok")
                    || k == ErrorCode.PROVIDER_UNAVAILABLE
                    || k == ErrorCode.PROVIDER_TIMEOUT
                    || k == ErrorCode.PROVIDER_RATE_LIMITED);
    assertThat(server.statusCounts()).containsKeys(200, 500, 429);
  }

  @Test
  void aProviderThatIsDownOpensTheBreakerAndRecordsFailFastWithACode() throws Exception {
    server.settings().serverErrorRate(1.0);
    List<RemoteRequest> requests = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      requests.add(text("d" + i, "Review " + i));
    }
    List<ModalityResult> results =
        run(
            config(
                "2s",
                Map.of(
                    "mmflow.remote.backoff", "10ms",
                    "mmflow.remote.max-attempts", "3",
                    "mmflow.remote.breaker.window", "4",
                    "mmflow.remote.breaker.cooldown", "1h",
                    "mmflow.remote.capacity", "2")),
            requests,
            Task.SENTIMENT);
    assertThat(results).hasSize(40).allMatch(r -> r.status() == ResultStatus.ERROR);
    assertThat(results).allMatch(r -> r.error().code() == ErrorCode.PROVIDER_UNAVAILABLE);
    assertThat(results).anyMatch(r -> r.error().message().contains("circuit breaker is open"));
    // once open, no more calls: far fewer than 40 records x 3 attempts reached the server
    assertThat(server.requestCount()).isLessThan(40);
  }

  // --- an outage inside a fault mix, in a checkpointed job ---

  /**
   * The server that {@link PhasedRequests} switches (same JVM: the MiniCluster runs in-process).
   */
  private static volatile LoopbackOpenAiServer phased;

  private static final AtomicInteger CHECKPOINTS = new AtomicInteger();
  private static final int PHASED = 360;
  private static final long OUTAGE_FROM = 100;
  private static final long OUTAGE_TO = 260;

  /**
   * A server that drops every reused keep-alive connection without answering (servers trim their
   * idle connections; the OpenAI SDK does not send such a call again): each call is sent again at
   * once on a new connection, every record is OK, and the provider is never counted as failing.
   */
  @Test
  void callsOnADroppedKeepAliveConnectionAreSentAgainWithoutAFailure() throws Exception {
    server.settings().dropReusedConnections(true);
    Configuration config =
        config(
            "10s",
            Map.of(
                "mmflow.remote.capacity", "1",
                "mmflow.remote.routing", "ordered",
                "mmflow.remote.breaker.failure-rate", "10",
                "mmflow.remote.breaker.window", "4"));
    Configuration flink = new Configuration();
    flink.setString(
        "metrics.reporter.memory.factory.class", MemoryReporter.Factory.class.getName());
    MemoryReporter.clear();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, flink);
    List<RemoteRequest> requests = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      requests.add(text("k" + i, "review " + i + ": it works"));
    }
    List<ModalityResult> results =
        collect(
            env.fromData(
                TypeInformation.of(RemoteRequest.class), requests.toArray(RemoteRequest[]::new)),
            Task.SENTIMENT,
            config,
            "remote-keep-alive");

    assertThat(results).hasSize(30).allMatch(r -> r.status() == ResultStatus.OK);
    // one call at a time on one pooled connection: every call after the first was dropped once
    assertThat(server.droppedRequests()).isEqualTo(29);
    String stage = ".mmflow.remote.task.sentiment";
    assertThat(MemoryReporter.sum(stage + ".retries")).isEqualTo(29);
    assertThat(MemoryReporter.sum(stage + ".failures")).isZero();
    assertThat(MemoryReporter.sum(".breaker_opened")).isZero();
  }

  /** The fault mix: 30% 5xx, 10% hung calls (client timeouts), 10% 429 + Retry-After. */
  private static void faultMix(LoopbackOpenAiServer s) {
    s.settings().serverErrorRate(0.3).timeoutRate(0.1).rateLimitRate(0.1).retryAfterSeconds(1);
  }

  /**
   * Request {@code i} every 10 ms; from request 100 to 259 the provider is down (every call a 500),
   * before and after that the fault mix. Counts the checkpoints that complete.
   */
  static final class PhasedRequests
      implements MapFunction<Long, RemoteRequest>, CheckpointListener {
    @Override
    public RemoteRequest map(Long i) throws Exception {
      if (i == OUTAGE_FROM) {
        phased.settings().serverErrorRate(1.0).timeoutRate(0).rateLimitRate(0);
      } else if (i == OUTAGE_TO) {
        faultMix(phased);
      }
      Thread.sleep(10);
      return text("p" + i, "Review number " + i + " was fine.");
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      CHECKPOINTS.incrementAndGet();
    }
  }

  @Test
  void anOutageInTheFaultMixOpensTheBreakerWhichClosesAfterwardsWithoutRestartsOrFailedCheckpoints()
      throws Exception {
    phased = server;
    CHECKPOINTS.set(0);
    server.settings().latency(Latency.fixed(5)).hangMillis(1000);
    faultMix(server);
    Configuration config =
        config(
            "300ms",
            Map.of(
                "mmflow.remote.backoff", "20ms",
                "mmflow.remote.timeout", "60s",
                "mmflow.remote.max-attempts", "4",
                // the mix's 40% of faults (5xx, timeouts) stays under 80% over 15+ calls; an
                // outage's 100% does not
                "mmflow.remote.breaker.failure-rate", "80",
                "mmflow.remote.breaker.window", "30",
                "mmflow.remote.breaker.cooldown", "200ms",
                "mmflow.remote.breaker.probes", "3"));
    Configuration flink = new Configuration();
    // any failure fails the job (no restart), and so does a single failed or timed-out checkpoint
    flink.setString("restart-strategy.type", "none");
    flink.setString("execution.checkpointing.interval", "100 ms");
    flink.setString("execution.checkpointing.timeout", "10 s");
    flink.setString("execution.checkpointing.tolerable-failed-checkpoints", "0");
    flink.setString(
        "metrics.reporter.memory.factory.class", MemoryReporter.Factory.class.getName());
    MemoryReporter.clear();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, flink);
    List<ModalityResult> results =
        collect(
            env.fromSequence(0, PHASED - 1)
                .map(new PhasedRequests())
                .returns(TypeInformation.of(RemoteRequest.class)),
            Task.SENTIMENT,
            config,
            "remote-outage");

    assertThat(results).hasSize(PHASED);
    assertThat(results.stream().map(ModalityResult::itemId).distinct().count()).isEqualTo(PHASED);
    assertThat(results)
        .allSatisfy(
            r -> {
              if (r.status() != ResultStatus.OK) {
                assertThat(r.error().code())
                    .isIn(
                        ErrorCode.PROVIDER_UNAVAILABLE,
                        ErrorCode.PROVIDER_TIMEOUT,
                        ErrorCode.PROVIDER_RATE_LIMITED);
              }
            });
    Map<Long, ModalityResult> byIndex =
        results.stream()
            .collect(Collectors.toMap(r -> Long.parseLong(r.itemId().substring(1)), r -> r));
    // records asked at least 900 ms before the provider came back spent all their attempts in the
    // outage (4 calls of 5 ms, backoff 20, 40, 80 ms at most): errors, and the breaker opened
    List<ModalityResult> down =
        byIndex.entrySet().stream()
            .filter(e -> e.getKey() >= OUTAGE_FROM && e.getKey() < OUTAGE_FROM + 70)
            .map(Map.Entry::getValue)
            .toList();
    assertThat(down).allMatch(r -> r.status() == ResultStatus.ERROR);
    assertThat(down)
        .anyMatch(r -> r.error().message().contains("every candidate's circuit breaker is open"));
    // half a second after it came back, calls go through again: the breaker closed (an open or
    // half-open breaker would let at most 3 probes through)
    long okAfter =
        byIndex.entrySet().stream()
            .filter(e -> e.getKey() >= OUTAGE_TO + 50)
            .filter(e -> e.getValue().status() == ResultStatus.OK)
            .count();
    // (the mix alone fails ~6% of records after 4 attempts; measured 49-50 of 50 OK)
    assertThat(okAfter).as("OK results of the last 50 records").isGreaterThanOrEqualTo(35);
    assertThat(server.statusCounts()).containsKeys(200, 500, 429);
    // the metrics saw it: both candidates' breakers opened in the outage (the second one once the
    // first was open and records fell back to it), and a breaker closed again afterwards (the one
    // the router asks first; the other may stay open, unasked)
    for (String candidate : List.of("big", "small")) {
      assertThat(
              MemoryReporter.sum(
                  ".mmflow.remote.task.sentiment.candidate." + candidate + ".breaker_opened"))
          .as(candidate)
          .isPositive();
    }
    assertThat(MemoryReporter.sum(".breaker_closed")).isPositive();
    assertThat(MemoryReporter.sum(".mmflow.remote.task.sentiment.retries")).isPositive();
    // the job checkpointed all along and finished without a restart or a failed checkpoint
    assertThat(CHECKPOINTS.get()).isGreaterThanOrEqualTo(3);
  }
}
