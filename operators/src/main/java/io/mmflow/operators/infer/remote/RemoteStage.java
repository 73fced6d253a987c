package io.mmflow.operators.infer.remote;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.Task;
import io.mmflow.core.util.Threads;
import io.mmflow.operators.normalize.RemoteResults;
import io.mmflow.operators.preprocess.text.PiiDetector;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.async.CollectionSupplier;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One remote task's stage for one subtask, outside any Flink function: the candidates with their
 * breakers, limits, caches and budget ({@link RemoteCandidates}), the PII guard, the retry timer
 * and the metrics, opened once; each request then runs as a {@link RemoteCall} and ends as exactly
 * one result. The DataStream jobs' async operator ({@link RemoteInference}) and the SQL model
 * provider both wrap it, so a request gets the same answer through either.
 */
public final class RemoteStage implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteStage.class);
  private static final AtomicBoolean POOL_CHECKED = new AtomicBoolean();

  /**
   * The JVM option that gives the common pool two threads (bin/mmflow and the manifests set it).
   */
  public static final String COMMON_POOL_OPTION =
      "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2";

  private final RemoteCall.Stage stage;

  private RemoteStage(RemoteCall.Stage stage) {
    this.stage = stage;
  }

  /**
   * Opens the stage of {@code task}.
   *
   * @param parallelism the subtasks sharing the providers' rate limits and the budget
   * @param metrics where the stage's metrics go (the operator's or the function's group)
   */
  public static RemoteStage open(
      RemoteSettings settings, Task task, int parallelism, MetricGroup metrics) {
    checkCommonPool();
    RemoteCandidates candidates = new RemoteCandidates(settings, task, parallelism);
    return new RemoteStage(
        new RemoteCall.Stage(
            task,
            settings,
            candidates,
            new RemoteStageMetrics(metrics, task.wireName(), candidates),
            settings.redact() ? new PiiDetector() : null,
            Executors.newSingleThreadScheduledExecutor(Threads.daemon("mmflow-remote-retries"))));
  }

  /**
   * Warns once per JVM where the common pool has one thread (the JVM's default on 2 CPUs): then
   * every async step of a {@code CompletableFuture} without an executor starts a thread of its own,
   * and the OpenAI SDK takes one such step per call (measured: the SDK alone at 3,100 calls/s with
   * one thread, 6,000 with two, on 2 vCPUs).
   */
  static void checkCommonPool() {
    if (ForkJoinPool.getCommonPoolParallelism() < 2 && POOL_CHECKED.compareAndSet(false, true)) {
      LOG.warn(
          "The JVM's common pool has one thread: the OpenAI SDK starts a new thread for every"
              + " remote call. Start the task managers with {} (env.java.opts.all; bin/mmflow and"
              + " the manifests in deploy/ do)",
          COMMON_POOL_OPTION);
    }
  }

  /** Answers {@code in} into {@code out}: one result, OK or an error result with its code. */
  public void call(RemoteRequest in, ResultFuture<ModalityResult> out) {
    new RemoteCall(stage, in, out).start();
  }

  /** Answers {@code in}: the future completes with its one result. */
  public CompletableFuture<ModalityResult> call(RemoteRequest in) {
    CompletableFuture<ModalityResult> answer = new CompletableFuture<>();
    call(
        in,
        new ResultFuture<>() {
          @Override
          public void complete(Collection<ModalityResult> results) {
            answer.complete(results.iterator().next());
          }

          @Override
          public void complete(CollectionSupplier<ModalityResult> results) {
            try {
              complete(results.get());
            } catch (Exception e) {
              answer.completeExceptionally(e);
            }
          }

          @Override
          public void completeExceptionally(Throwable error) {
            answer.completeExceptionally(error);
          }
        });
    return answer;
  }

  /** The result of a request that got no answer within the stage's timeout (retries included). */
  public ModalityResult timedOut(RemoteRequest in) {
    return RemoteResults.failed(
        in,
        stage.task(),
        ErrorCode.PROVIDER_TIMEOUT,
        "no answer within " + stage.settings().timeout() + " (retries included)",
        null,
        Instant.now());
  }

  @Override
  public void close() {
    stage.timer().shutdownNow();
    stage.candidates().close();
  }
}
