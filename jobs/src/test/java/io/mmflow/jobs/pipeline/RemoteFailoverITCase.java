package io.mmflow.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.connectors.embedded.EmbeddedPostgresServer;
import io.mmflow.connectors.embedded.Latency;
import io.mmflow.connectors.embedded.LoopbackOpenAiServer;
import io.mmflow.connectors.embedded.LoopbackRequest;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.ResultStatus;
import io.mmflow.core.model.Task;
import io.mmflow.operators.infer.remote.RemoteRequest;
import io.mmflow.operators.infer.remote.RemoteStages;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remote stage across a task failure: the job fails once while calls are in flight, restarts
 * from its last checkpoint and replays the records since; each record still ends as exactly one
 * result, and a replayed record whose answer was paid for before the failure is served from the
 * answer table in PostgreSQL ({@code mmflow.remote.cache.postgres}) instead of being called again.
 */
class RemoteFailoverITCase {
  private static final int RECORDS = 600;
  private static final int FAIL_AT = 250;

  /** Checkpoints completed and the failure injected, across restarts (one JVM: MiniCluster). */
  private static final AtomicInteger CHECKPOINTS = new AtomicInteger();

  private static final AtomicInteger FAILURES = new AtomicInteger();

  private static final AtomicLong LAST_CHECKPOINT = new AtomicLong();

  /**
   * A request every 5 ms; on its first attempt the task fails at the first request from 250 on that
   * comes at least 300 ms after a checkpoint completed (checkpoints every 600 ms), so that ~60
   * records answered since that checkpoint are replayed (~15 on a loaded CI machine, where a record
   * took 20 ms: with a 100-ms window only 5 were, and the assertion below had no margin).
   */
  static final class FailingOnce extends RichMapFunction<Long, RemoteRequest>
      implements CheckpointListener {
    private transient int attempt;

    @Override
    public void open(OpenContext context) {
      attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
    }

    @Override
    public RemoteRequest map(Long i) throws Exception {
      // only after a checkpoint, so that the restart replays part of the input, not all of it
      if (attempt == 0
          && i >= FAIL_AT
          && CHECKPOINTS.get() > 0
          && System.nanoTime() - LAST_CHECKPOINT.get() > 300_000_000L) {
        FAILURES.incrementAndGet();
        throw new IllegalStateException("injected failure at request " + i);
      }
      Thread.sleep(5);
      return RemoteRequest.ofText(
          "r" + i,
          "file:/r" + i,
          Instant.EPOCH,
          Task.SENTIMENT,
          "Review " + i + ": the battery lasts and the screen is fine.");
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      LAST_CHECKPOINT.set(System.nanoTime());
      CHECKPOINTS.incrementAndGet();
    }
  }

  @Test
  void afterAFailureEveryRecordEndsOnceAndPaidAnswersComeFromPostgres(@TempDir Path dir)
      throws Exception {
    CHECKPOINTS.set(0);
    FAILURES.set(0);
    try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(null, 0);
        LoopbackOpenAiServer server = LoopbackOpenAiServer.start()) {
      server.settings().latency(Latency.fixed(20)).logCapacity(10_000);
      Path providers =
          server.writeProvidersFile(
              dir.resolve("providers.yaml"),
              """
              - id: small
                model: gpt-4o-mini
                tasks: [sentiment]
                cost: {input-per-1k: 0.00015, output-per-1k: 0.0006}
              """);
      Configuration config = new Configuration();
      config.setString("mmflow.remote.providers", providers.toString());
      config.setString("mmflow.remote.text-task", "sentiment");
      config.setString("mmflow.remote.cache.postgres", "true");
      config.setString("mmflow.postgres.url", postgres.jdbcUrl());
      config.setString("restart-strategy.type", "fixed-delay");
      config.setString("restart-strategy.fixed-delay.attempts", "1");
      config.setString("restart-strategy.fixed-delay.delay", "100 ms");
      config.setString("execution.checkpointing.interval", "600 ms");
      StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, config);
      List<ModalityResult> results = new ArrayList<>();
      try (CloseableIterator<ModalityResult> it =
          RemoteStages.stage(
                  env.fromSequence(0, RECORDS - 1)
                      .map(new FailingOnce())
                      .returns(TypeInformation.of(RemoteRequest.class)),
                  Task.SENTIMENT,
                  config,
                  "remote-failover")
              .executeAndCollect("remote failover")) {
        it.forEachRemaining(results::add);
      }

      assertThat(FAILURES.get()).as("the injected failure happened").isPositive();
      // exactly one result per record, every one answered
      assertThat(results).hasSize(RECORDS);
      assertThat(results.stream().map(ModalityResult::itemId).distinct().count())
          .isEqualTo(RECORDS);
      assertThat(results).allMatch(r -> r.status() == ResultStatus.OK);
      // the records answered since the last checkpoint (the failure comes 300 ms after one, a
      // record every 5-20 ms) were replayed and came from the answer table, free
      List<ModalityResult> stored =
          results.stream().filter(r -> "stored".equals(r.attributes().get("cache_hit"))).toList();
      assertThat(stored).as("replayed records served from PostgreSQL").hasSizeGreaterThan(5);
      assertThat(stored).allMatch(r -> r.cost().usd() == 0.0);
      // every text reached the provider; twice only where the first answer had not been stored
      // when the task failed (calls in flight, writes not landed: measured 1-3), never one that
      // came from the table
      Map<String, Long> asked =
          server.requests().stream()
              .collect(Collectors.groupingBy(RemoteFailoverITCase::review, Collectors.counting()));
      assertThat(asked).hasSize(RECORDS);
      Set<String> twice =
          asked.entrySet().stream()
              .filter(e -> e.getValue() > 1)
              .map(Map.Entry::getKey)
              .collect(Collectors.toSet());
      assertThat(twice).hasSizeLessThanOrEqualTo(10);
      for (ModalityResult r : stored) {
        assertThat(twice).doesNotContain("Review " + r.itemId().substring(1) + ":");
      }
    }
  }

  private static final Pattern REVIEW = Pattern.compile("Review \\d+:");

  /** The "Review N:" a request asked about. */
  private static String review(LoopbackRequest request) {
    Matcher m = REVIEW.matcher(request.body());
    return m.find() ? m.group() : "?";
  }
}
