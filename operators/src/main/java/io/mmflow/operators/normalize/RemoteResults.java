package io.mmflow.operators.normalize;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.model.Cost;
import io.mmflow.core.model.Entity;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.Provenance;
import io.mmflow.core.model.ResultError;
import io.mmflow.core.model.ResultStatus;
import io.mmflow.core.model.Task;
import io.mmflow.core.model.Timing;
import io.mmflow.model.remote.RemoteAnswer;
import io.mmflow.model.remote.RemoteModelSpec;
import io.mmflow.operators.preprocess.text.PiiSpan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A remote provider's answer, or the reason there is none, as the canonical {@link ModalityResult}:
 * what the results tables and docs/remote.md promise of a remote result (provenance with the
 * provider's model name, cost in tokens and USD, the {@code route}, {@code attempts}, {@code
 * pii_redacted}, {@code cache_hit} and {@code request_id} attributes) is decided here, not in the
 * stage that made the call.
 */
public final class RemoteResults {
  /** Remote labels carry the score the model reports; nothing recalibrates it. */
  private static final String CALIBRATION = "provider-reported";

  /** The {@code cache_hit} of an answer found by the semantic cache (similar prompts). */
  public static final String SEMANTIC = "semantic";

  /**
   * The {@code cache_hit} of an answer fetched from the provider's stored completions: paid for by
   * an attempt that was killed before it recorded it, so its cost counts here, once.
   */
  public static final String RECOVERED = "recovered";

  private RemoteResults() {}

  /**
   * An answer as an OK result.
   *
   * @param in the record answered
   * @param task the stage's task
   * @param model the candidate that answered (or whose cached answer is served)
   * @param cacheHit how a cache found the answer ({@code exact}, {@code semantic}, {@code stored},
   *     or {@code recovered}: see {@link #RECOVERED}); null when the provider gave it (then, and
   *     when recovered, its cost counts)
   * @param similarity the semantic cache's similarity of the prompts, for a {@code semantic} hit
   * @param embeddingCost what the semantic cache's embedding of the prompt cost (free without one)
   * @param attempts provider calls made for the record
   * @param piiSpans what the PII guard replaced in the prompt: listed as entities, never the values
   * @param started when the stage took the record
   */
  public static ModalityResult answered(
      ResultSubject in,
      Task task,
      RemoteModelSpec model,
      RemoteAnswer answer,
      String cacheHit,
      double similarity,
      Cost embeddingCost,
      int attempts,
      List<PiiSpan> piiSpans,
      Instant started) {
    boolean hit = cacheHit != null && !RECOVERED.equals(cacheHit);
    Instant now = Instant.now();
    List<Entity> entities = new ArrayList<>(answer.entities());
    entities.addAll(PiiSpan.entities(piiSpans));
    ModalityResult.Builder b =
        base(in, task)
            .status(ResultStatus.OK)
            .labels(answer.labels())
            .entities(entities)
            .provenance(
                new Provenance(
                    model.provider(),
                    model.id(),
                    model.model(),
                    in.sourceUri(),
                    in.contentSha256(),
                    hit))
            .timing(Timing.of(in.eventTime(), started, now))
            .cost((hit ? Cost.FREE : answer.cost()).plus(embeddingCost))
            .attribute("route", model.id())
            .attribute("attempts", Integer.toString(attempts))
            .attribute("pii_redacted", Integer.toString(piiSpans.size()));
    answer.text().ifPresent(b::text);
    if (!answer.embeddings().isEmpty()) {
      b.embedding(answer.embeddings().get(0));
    }
    if (cacheHit != null) {
      b.attribute("cache_hit", cacheHit);
      if (SEMANTIC.equals(cacheHit)) {
        b.attribute("cache_similarity", String.format(Locale.ROOT, "%.4f", similarity));
      }
    }
    answer.requestId().ifPresent(id -> b.attribute("request_id", id));
    answer.topLabel().ifPresent(l -> b.confidence(l.score(), CALIBRATION));
    return b.build();
  }

  /**
   * A coded error result: the record gets one result even when no provider answered, so the job
   * never fails for a provider.
   *
   * @param candidate the candidate last called; null when none was (provenance says {@code none})
   */
  public static ModalityResult failed(
      ResultSubject in,
      Task task,
      ErrorCode code,
      String message,
      String candidate,
      Instant started) {
    return base(in, task)
        .error(ResultError.of(code, message))
        .provenance(
            new Provenance(
                "remote",
                candidate == null ? "none" : candidate,
                "-",
                in.sourceUri(),
                in.contentSha256(),
                false))
        .timing(Timing.of(in.eventTime(), started, Instant.now()))
        .build();
  }

  private static ModalityResult.Builder base(ResultSubject in, Task task) {
    return ModalityResult.builder()
        .itemId(in.itemId())
        .partId(in.partId())
        .correlationId(in.correlationId())
        .modality(in.modality())
        .task(task);
  }
}
