package io.mmflow.operators.infer.remote;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.Cost;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.Task;
import io.mmflow.core.util.Hashing;
import io.mmflow.core.util.Vectors;
import io.mmflow.model.remote.OpenAiRemoteModel;
import io.mmflow.model.remote.RemoteAnswer;
import io.mmflow.model.remote.RemoteCallException;
import io.mmflow.model.remote.RemoteModelSpec;
import io.mmflow.operators.infer.remote.resilience.RateLimits;
import io.mmflow.operators.infer.remote.routing.ProviderRouter;
import io.mmflow.operators.normalize.RemoteResults;
import io.mmflow.operators.preprocess.text.PiiDetector;
import io.mmflow.operators.preprocess.text.PiiRedactor;
import io.mmflow.operators.preprocess.text.PiiSpan;
import io.mmflow.operators.preprocess.text.TextNormalizer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.streaming.api.functions.async.ResultFuture;

/**
 * One record's way through the remote stage: prepare (normalize, PII guard, content hash), the
 * caches cheapest first (memory, the table across runs, then a semantic look-up that needs an
 * embedding call), the next candidate the router, rate limits and breakers allow, the call, a retry
 * after backoff or the next candidate, and exactly one result. Nothing blocks: every step that
 * waits (a provider, the table, a bucket, a backoff) continues from a callback or the retry timer,
 * so steps run on different threads, one at a time; {@link #done} keeps the result single.
 */
final class RemoteCall {
  /**
   * What every call of one subtask shares, built once in {@code open()}: a call holds this one
   * reference, as an inner class held its outer instance.
   *
   * @param pii the PII guard; null when redaction is off
   * @param timer runs the retries, backoffs and rate-limit waits
   */
  record Stage(
      Task task,
      RemoteSettings settings,
      RemoteCandidates candidates,
      RemoteStageMetrics metrics,
      PiiDetector pii,
      ScheduledExecutorService timer) {}

  private final Stage stage;
  private final RemoteRequest in;
  private final ResultFuture<ModalityResult> out;
  private final AtomicBoolean done = new AtomicBoolean();
  private final Instant started = Instant.now();
  private String text;
  private List<PiiSpan> spans = List.of();
  private String contentKey;
  private float[] meaning;
  private Cost embeddingCost = Cost.FREE;
  private boolean storeAsked;
  private boolean embeddingAsked;
  private boolean heldBack;
  private int attempt;
  private boolean resent;
  private String lastCandidate;

  RemoteCall(Stage stage, RemoteRequest in, ResultFuture<ModalityResult> out) {
    this.stage = stage;
    this.in = in;
    this.out = out;
  }

  void start() {
    try {
      prepare();
    } catch (RuntimeException e) {
      finish(failed(code(e), e.getMessage(), null));
      return;
    }
    next();
  }

  /** Normalization and the PII guard for text; the content hash the cache keys on. */
  private void prepare() {
    if (in.text() != null) {
      text = TextNormalizer.normalize(in.text()).text();
      if (stage.pii() != null) {
        spans = stage.pii().detect(text);
        if (!spans.isEmpty()) {
          text = PiiRedactor.redact(text, spans).text();
        }
      }
      contentKey = Hashing.sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    } else if (in.bytes() != null && in.bytes().length > 0) {
      contentKey = in.contentSha256() != null ? in.contentSha256() : Hashing.sha256Hex(in.bytes());
    } else {
      throw new MmflowException(ErrorCode.EMPTY_INPUT, "nothing to send: no text and no bytes");
    }
  }

  /**
   * The next step: the budget, the caches, then the first candidate that is admitted; re-entered
   * after every step that found nothing and after every wait.
   */
  private void next() {
    if (done.get()) {
      return;
    }
    RemoteCandidates candidates = stage.candidates();
    RemoteStageMetrics metrics = stage.metrics();
    boolean cheap = candidates.cheapOnly();
    if (candidates.budgetSpent()) {
      metrics.budgetStops.inc();
      finish(
          failed(
              ErrorCode.BUDGET_EXHAUSTED,
              String.format(
                  Locale.ROOT,
                  "the job's budget of %.4f USD is spent",
                  stage.settings().budgetUsd()),
              null));
      return;
    }
    List<ProviderRouter.Candidate> order = candidates.order(cheap);
    for (ProviderRouter.Candidate c : order) {
      OpenAiRemoteModel model = candidates.model(c.id());
      Optional<AnswerCache.Found<RemoteAnswer>> hit =
          candidates.cache().find(cacheKey(model.spec()), c.id(), meaning);
      if (hit.isPresent()) {
        metrics.cacheHits.inc();
        if (hit.get().hit() == AnswerCache.Hit.SEMANTIC) {
          metrics.semanticHits.inc();
        }
        finish(answered(hit.get().answer(), model.spec(), hit.get()));
        return;
      }
    }
    // cheapest first: memory (above), the table across runs, then an embedding for a
    // semantic look-up; each comes back here when it found nothing
    if (candidates.store() != null && !storeAsked) {
      storeAsked = true;
      findStored(order);
      return;
    }
    if (candidates.embedder() != null && text != null && !embeddingAsked) {
      embeddingAsked = true;
      embedThenNext();
      return;
    }
    for (ProviderRouter.Candidate c : order) {
      if (cheap && c != order.get(0)) {
        break; // past 80% of the budget only the cheapest is asked
      }
      OpenAiRemoteModel model = candidates.model(c.id());
      String[] keys = RemoteCandidates.limitKeys(model.spec(), in.modality());
      RateLimits.Admission admission =
          candidates.limits().admit(RemoteCandidates.expectedTokens(model.spec(), text), keys);
      if (!admission.admitted()) {
        if (!heldBack) {
          heldBack = true;
          metrics.rateLimitWaits.inc(); // once per record, however often it is re-checked
        }
        later(admission.waitFor());
        return;
      }
      if (!candidates.breakers().tryAcquire(c.id())) {
        candidates.limits().release(keys);
        continue; // open: fall back to the next candidate
      }
      call(model, keys);
      return;
    }
    // every breaker is open: wait for a cooldown if attempts remain
    attempt++;
    if (attempt < stage.settings().backoff().maxAttempts()) {
      metrics.retries.inc();
      later(
          stage
              .settings()
              .backoff()
              .delay(attempt, Optional.empty(), ThreadLocalRandom.current()::nextDouble));
    } else {
      finish(
          failed(
              ErrorCode.PROVIDER_UNAVAILABLE,
              "every candidate's circuit breaker is open",
              lastCandidate));
    }
  }

  /** The table across runs (and the provider's stored completions), then routing goes on. */
  private void findStored(List<ProviderRouter.Candidate> order) {
    StoredAnswers.find(stage, order, this::cacheKey, text, meaning)
        .whenComplete(
            (served, failure) -> {
              if (failure == null && served.isPresent()) {
                StoredAnswers.Served s = served.get();
                finish(
                    answered(
                        s.answer(), s.spec(), new AnswerCache.Found<>(s.answer(), s.hit(), 1)));
              } else {
                next();
              }
            });
  }

  /**
   * The prompt's embedding for the semantic cache, asked only after both exact caches missed (its
   * cost is the result's too); without it (the call failed) the record goes to the provider.
   */
  private void embedThenNext() {
    CompletableFuture<RemoteAnswer> f;
    try {
      f = stage.candidates().embedder().embed(List.of(text));
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenComplete(
        (answer, failure) -> {
          if (failure == null && !answer.embeddings().isEmpty()) {
            meaning = Vectors.unitLength(answer.embeddings().get(0).clone());
            embeddingCost = answer.cost();
            stage.candidates().spend(embeddingCost.usd());
          } else {
            stage.metrics().embeddingFailures.inc();
          }
          next();
        });
  }

  /**
   * One provider call, journaled first where the provider stores its answers (a killed attempt's
   * call is then found again, see {@link StoredAnswers}); its answer is cached and finishes the
   * record, a failure retries.
   */
  private void call(OpenAiRemoteModel model, String[] keys) {
    PostgresAnswerStore store = stage.candidates().store();
    if (store == null || !model.storesAnswers(stage.task())) {
      send(model, keys, null);
      return;
    }
    String key = cacheKey(model.spec());
    CompletableFuture<Boolean> journaled;
    try {
      journaled = store.markSent(key, model.spec().id());
    } catch (RuntimeException e) {
      journaled = CompletableFuture.completedFuture(false); // the store is closing: not journaled
    }
    journaled.whenComplete(
        (written, failure) -> {
          if (!Boolean.TRUE.equals(written)) {
            stage.metrics().storeWriteFailures.inc();
          }
          send(model, keys, key);
        });
  }

  private void send(OpenAiRemoteModel model, String[] keys, String storedAs) {
    String id = model.spec().id();
    lastCandidate = id;
    RemoteStageMetrics metrics = stage.metrics();
    metrics.calls.inc();
    metrics.inFlight.incrementAndGet();
    long t0 = System.nanoTime();
    CompletableFuture<RemoteAnswer> f;
    try {
      f = ask(model, storedAs);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenComplete(
        (answer, failure) -> {
          long nanos = System.nanoTime() - t0;
          RemoteCandidates candidates = stage.candidates();
          metrics.inFlight.decrementAndGet();
          candidates.limits().release(keys);
          if (failure == null) {
            candidates.succeeded(id, nanos);
            candidates.spend(answer.cost().usd());
            candidates.keep(cacheKey(model.spec()), id, meaning, answer, metrics);
            finish(answered(answer, model.spec(), null));
            return;
          }
          Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
          if (cause instanceof RemoteCallException r && r.closedBeforeAnswer() && !resent) {
            // a keep-alive connection the server had dropped: the provider never saw the call;
            // once, on a new connection at once, and no failure of the provider for its breaker
            resent = true;
            candidates.breakers().release(id);
            metrics.retries.inc();
            later(Duration.ZERO);
            return;
          }
          metrics.failures.inc();
          candidates.failed(id, nanos, cause);
          ErrorCode code = code(cause);
          Optional<Duration> retryAfter =
              cause instanceof RemoteCallException r ? r.retryAfter() : Optional.empty();
          attempt++;
          if (stage.settings().backoff().retries(code, attempt, retryAfter)) {
            metrics.retries.inc();
            later(
                stage
                    .settings()
                    .backoff()
                    .delay(attempt, retryAfter, ThreadLocalRandom.current()::nextDouble));
          } else {
            finish(failed(code, cause.getMessage(), id));
          }
        });
  }

  /** The request itself; {@code storedAs} tags a chat call the provider stores (null: none). */
  private CompletableFuture<RemoteAnswer> ask(OpenAiRemoteModel model, String storedAs) {
    return switch (stage.task()) {
      case CAPTION -> model.caption(in.bytes(), in.mediaType(), storedAs);
      case TRANSCRIPTION -> model.transcribe(in.bytes(), fileName());
      case EMBEDDING -> model.embed(List.of(text));
      default -> model.text(stage.task(), text, storedAs);
    };
  }

  private String fileName() {
    String uri = in.sourceUri() == null ? "audio" : in.sourceUri();
    return uri.substring(uri.lastIndexOf('/') + 1);
  }

  /** Comes back to {@link #next} after {@code wait} on the timer: no thread waits. */
  private void later(Duration wait) {
    if (!done.get()) {
      stage.timer().schedule(this::next, Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
    }
  }

  private String cacheKey(RemoteModelSpec m) {
    return stage.candidates().cacheKey(contentKey, m);
  }

  /** An answer as the result; {@code hit} says how the cache found it (null: the provider). */
  private ModalityResult answered(
      RemoteAnswer a, RemoteModelSpec m, AnswerCache.Found<RemoteAnswer> hit) {
    int attempts = attempt + (hit == null || hit.hit() == AnswerCache.Hit.RECOVERED ? 1 : 0);
    return RemoteResults.answered(
        in,
        stage.task(),
        m,
        a,
        hit == null ? null : hit.hit().wireName(),
        hit == null ? 0 : hit.similarity(),
        embeddingCost,
        attempts,
        spans,
        started);
  }

  private ModalityResult failed(ErrorCode code, String message, String candidate) {
    return RemoteResults.failed(in, stage.task(), code, message, candidate, started);
  }

  private void finish(ModalityResult r) {
    if (done.compareAndSet(false, true)) {
      out.complete(List.of(r));
    }
  }

  /** The error code a failure carries; a fault without one is the provider's unavailability. */
  private static ErrorCode code(Throwable t) {
    return t instanceof MmflowException m ? m.code() : ErrorCode.PROVIDER_UNAVAILABLE;
  }
}
