package io.mmflow.operators.infer.remote;

import io.mmflow.operators.metrics.MmflowMetrics;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;

/**
 * What a remote stage's subtask reports: group {@code mmflow.remote} with the label {@code task},
 * and per candidate (provider and model) the label {@code candidate}; the names are declared in
 * {@link MmflowMetrics#CATALOG}, which docs/operations.md and the dashboard use: keep them. Every
 * counter is thread-safe: they are counted from the task thread, the HTTP client's callbacks and
 * the retry timer alike. The fields are the counters themselves so that counting costs a call's hot
 * path nothing but the increment.
 */
final class RemoteStageMetrics {
  final Counter calls;
  final Counter failures;
  final Counter retries;
  final Counter cacheHits;
  final Counter semanticHits;
  final Counter storedHits;
  final Counter storeWriteFailures;

  /** Answers of calls made by a killed attempt, fetched from the provider instead of re-asked. */
  final Counter recovered;

  final Counter embeddingFailures;
  final Counter budgetStops;

  /** Records held back by a rate limit, once each however often they are re-checked. */
  final Counter rateLimitWaits;

  /** Provider calls sent and not yet answered (gauge {@code in_flight}). */
  final AtomicLong inFlight = new AtomicLong();

  /**
   * Registers the stage's metrics under {@code operator}; the cost gauge and the per-candidate
   * breaker metrics read {@code candidates}. Breaker openings are counted as they happen, not only
   * sampled: a gauge read every few seconds can miss a short opening.
   */
  RemoteStageMetrics(MetricGroup operator, String task, RemoteCandidates candidates) {
    MetricGroup g =
        MmflowMetrics.group(operator).addGroup("remote").addGroup(MmflowMetrics.TASK, task);
    calls = counter(g, "calls");
    failures = counter(g, "failures");
    retries = counter(g, "retries");
    cacheHits = counter(g, "cache_hits");
    semanticHits = counter(g, "semantic_cache_hits");
    storedHits = counter(g, "stored_cache_hits");
    storeWriteFailures = counter(g, "stored_cache_write_failures");
    recovered = counter(g, "recovered_answers");
    embeddingFailures = counter(g, "semantic_cache_embedding_failures");
    budgetStops = counter(g, "budget_stops");
    rateLimitWaits = counter(g, "rate_limit_waits");
    g.gauge("in_flight", () -> inFlight.get());
    g.gauge("spend_micro_usd", () -> (long) (candidates.spent() * 1e6));
    for (String id : candidates.ids()) {
      MetricGroup candidate = g.addGroup(MmflowMetrics.CANDIDATE, id);
      candidate.gauge("breaker_state", () -> candidates.breakers().stateCode(id));
      Counter opened = counter(candidate, "breaker_opened");
      Counter closed = counter(candidate, "breaker_closed");
      candidates
          .breakers()
          .onTransition(
              id,
              state -> {
                switch (state) {
                  case OPEN -> opened.inc();
                  case CLOSED -> closed.inc();
                  default -> {}
                }
              });
    }
  }

  private static Counter counter(MetricGroup group, String name) {
    return group.counter(name, new ThreadSafeSimpleCounter());
  }
}
