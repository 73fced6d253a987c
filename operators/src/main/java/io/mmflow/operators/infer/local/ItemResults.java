package io.mmflow.operators.infer.local;

import io.mmflow.core.model.AttributeKeys;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.DeadLetters;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.ResultError;
import io.mmflow.core.model.ResultStatus;
import io.mmflow.operators.metrics.RunCounters;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Accounts for items whose only result comes from a model stage (an audio file's transcript): an OK
 * result counts the item done; an error result means the item produced nothing, so it becomes a
 * dead letter with the result's code (side output {@link DeadLetters#TAG}, counted by code) rather
 * than a result. Derived results (the sentiment of a document already extracted) do not pass here:
 * their item is done either way, and their failure stays an error result.
 */
public final class ItemResults extends ProcessFunction<ModalityResult, ModalityResult> {
  private final String stage;
  private final Modality only;
  private transient RunCounters itemsDone;
  private transient RunCounters results;
  private transient RunCounters deadLetters;

  /**
   * @param stage the stage named in the dead letters
   */
  public ItemResults(String stage) {
    this(stage, null);
  }

  private ItemResults(String stage, Modality only) {
    this.stage = stage;
    this.only = only;
  }

  /**
   * Accounts for the items of results of {@code modality} (the parts whose only result this stage
   * makes); results of other modalities pass unchanged, counted as results only. The stage before
   * must not count its results.
   */
  public static ItemResults forModality(String stage, Modality modality) {
    return new ItemResults(stage, modality);
  }

  @Override
  public void open(OpenContext openContext) {
    itemsDone = RunCounters.counter(getRuntimeContext(), RunCounters.ITEMS_DONE);
    results = RunCounters.counter(getRuntimeContext(), RunCounters.RESULTS);
    deadLetters = RunCounters.deadLetters(getRuntimeContext());
  }

  @Override
  public void processElement(ModalityResult r, Context ctx, Collector<ModalityResult> out) {
    if (only != null && r.modality() != only) {
      results.increment();
      out.collect(r);
      return;
    }
    if (r.status() != ResultStatus.ERROR) {
      itemsDone.increment();
      results.increment();
      out.collect(r);
      return;
    }
    ResultError e = r.error();
    deadLetters.increment(e.code());
    String size = r.attributes().get(AttributeKeys.SIZE_BYTES);
    ctx.output(
        DeadLetters.TAG,
        new DeadLetter(
            r.itemId(),
            r.partId(),
            r.correlationId(),
            r.provenance().sourceUri(),
            stage,
            e.code(),
            e.message(),
            e.retryable(),
            r.attributes().get(AttributeKeys.MEDIA_TYPE),
            size == null ? 0 : Long.parseLong(size),
            r.provenance().contentSha256(),
            Instant.now(),
            null));
  }
}
