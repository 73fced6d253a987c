package io.mmflow.operators.infer.remote;

import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.Task;
import io.mmflow.operators.infer.remote.resilience.ProviderBreakers;
import io.mmflow.operators.infer.remote.resilience.RateLimits;
import io.mmflow.operators.infer.remote.routing.ProviderRouter;
import io.mmflow.operators.normalize.RemoteResults;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * One remote task (sentiment, summary, entities, caption, transcription) as a Flink async function:
 * each record is answered by the best candidate provider/model that can do the task, with
 *
 * <ul>
 *   <li><b>PII guard</b>: text is normalized and, with redaction on, personal data is replaced by
 *       placeholders before the request is built; the result keeps the spans as {@code pii:<kind>}
 *       entities (never the values);
 *   <li><b>cache</b>: an answer for the same content, task, model, model version and prompt is
 *       served from memory (a replay after a restart is not paid twice); marked in provenance;
 *   <li><b>routing</b> ({@link ProviderRouter}) with fallback to the next candidate on failure,
 *       skipping candidates whose circuit breaker ({@link ProviderBreakers}) is open;
 *   <li><b>rate limits</b> ({@link RateLimits}) per provider and per provider and modality: a call
 *       over the limit is scheduled for when the bucket allows it, no thread waits;
 *   <li><b>retries</b> with backoff and jitter honouring Retry-After;
 *   <li><b>cost</b>: tokens and USD on every result; a job budget that switches to the cheapest
 *       candidate past 80% and stops calling past 100% ({@code BUDGET_EXHAUSTED} results).
 * </ul>
 *
 * This class is only the operator's shell around a {@link RemoteStage}: the candidates with their
 * breakers, limits and caches are {@link RemoteCandidates}, one record's way through them is a
 * {@link RemoteCall}, the metrics are {@link RemoteStageMetrics}, and the results are built by
 * {@link RemoteResults}. Every record ends as exactly one result: OK, or an error result with its
 * code (the async operator's {@link #timeout} too), so the job never fails for a provider.
 */
public final class RemoteInference extends RichAsyncFunction<RemoteRequest, ModalityResult> {
  private final RemoteSettings settings;
  private final Task task;

  private transient RemoteStage stage;

  public RemoteInference(RemoteSettings settings, Task task) {
    this.settings = settings;
    this.task = task;
  }

  @Override
  public void open(OpenContext openContext) {
    stage =
        RemoteStage.open(
            settings,
            task,
            getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks(),
            getRuntimeContext().getMetricGroup());
  }

  @Override
  public void close() {
    if (stage != null) {
      stage.close();
    }
  }

  @Override
  public void asyncInvoke(RemoteRequest in, ResultFuture<ModalityResult> out) {
    stage.call(in, out);
  }

  /** The async operator's own timeout: a coded error result, never a failed job. */
  @Override
  public void timeout(RemoteRequest in, ResultFuture<ModalityResult> out) {
    out.complete(List.of(stage.timedOut(in)));
  }
}
