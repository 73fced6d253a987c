package io.mmflow.operators.infer.remote;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.Cost;
import io.mmflow.core.model.Entity;
import io.mmflow.core.model.Label;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.Provenance;
import io.mmflow.core.model.ResultError;
import io.mmflow.core.model.ResultStatus;
import io.mmflow.core.model.Task;
import io.mmflow.core.model.Timing;
import io.mmflow.core.util.Threads;
import io.mmflow.core.util.Vectors;
import io.mmflow.model.remote.OpenAiRemoteModel;
import io.mmflow.model.remote.ProviderRegistry;
import io.mmflow.model.remote.RemoteAnswer;
import io.mmflow.model.remote.RemoteCallException;
import io.mmflow.model.remote.RemoteModelSpec;
import io.mmflow.operators.infer.remote.resilience.ProviderBreakers;
import io.mmflow.operators.infer.remote.resilience.RateLimits;
import io.mmflow.operators.infer.remote.routing.ProviderRouter;
import io.mmflow.operators.preprocess.text.PiiDetector;
import io.mmflow.operators.preprocess.text.PiiRedactor;
import io.mmflow.operators.preprocess.text.PiiSpan;
import io.mmflow.operators.preprocess.text.TextNormalizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
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
 * Every record ends as exactly one result: OK, or an error result with its code (the async
 * operator's {@link #timeout} too), so the job never fails for a provider.
 */
public final class RemoteInference extends RichAsyncFunction<RemoteRequest, ModalityResult> {
  /** Part of the cache key: change it when the prompts change. */
  static final String PROMPT_VERSION = "prompts-1";

  private final RemoteSettings settings;
  private final Task task;

  private transient Map<String, OpenAiRemoteModel> models;
  private transient ProviderRouter router;
  private transient ProviderRouter cheapest;
  private transient ProviderBreakers breakers;
  private transient RateLimits limits;
  private transient AnswerCache<RemoteAnswer> cache;
  private transient OpenAiRemoteModel embedder;
  private transient PostgresAnswerStore store;
  private transient PiiDetector pii;
  private transient ScheduledExecutorService timer;
  private transient DoubleAdder spent;
  private transient double budget;
  private transient Counter calls;
  private transient Counter failures;
  private transient Counter retries;
  private transient Counter cacheHits;
  private transient Counter semanticHits;
  private transient Counter storedHits;
  private transient Counter storeWriteFailures;
  private transient Counter embeddingFailures;
  private transient Counter budgetStops;
  private transient Counter rateLimitWaits;
  private transient AtomicLong inFlight;

  public RemoteInference(RemoteSettings settings, Task task) {
    this.settings = settings;
    this.task = task;
  }

  /** The registry models that can do {@code task}; a clear error when there are none. */
  public static List<RemoteModelSpec> candidates(ProviderRegistry registry, Task task) {
    List<RemoteModelSpec> out = registry.models().stream().filter(m -> m.supports(task)).toList();
    if (out.isEmpty()) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "remote providers "
              + registry.location()
              + ": no model declares task '"
              + task.wireName()
              + "'");
    }
    return out;
  }

  /**
   * The remote model whose embeddings key the semantic cache, or null when it is off; a clear error
   * when the id is unknown or the model does not declare the embedding task.
   */
  public static RemoteModelSpec semanticCacheModel(
      ProviderRegistry registry, RemoteSettings.SemanticCache semantic) {
    if (!semantic.enabled()) {
      return null;
    }
    RemoteModelSpec m = registry.model(semantic.model());
    if (!m.supports(Task.EMBEDDING)) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "mmflow.remote.cache.semantic-model: model '"
              + m.id()
              + "' does not declare task 'embedding'");
    }
    return m;
  }

  @Override
  public void open(OpenContext openContext) {
    ProviderRegistry registry = ProviderRegistry.load(Path.of(settings.providersFile()));
    int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
    models = new HashMap<>();
    List<ProviderRouter.Candidate> routes = new ArrayList<>();
    for (RemoteModelSpec m : candidates(registry, task)) {
      models.put(m.id(), OpenAiRemoteModel.of(registry.provider(m), m, settings.capacity()));
      routes.add(
          new ProviderRouter.Candidate(
              m.id(),
              m.pricing().usd(expectedInputTokens(null), m.maxTokens()),
              m.quality(),
              Duration.ofMillis(1000)));
    }
    router = new ProviderRouter(routes, settings.strategy(), settings.weights());
    cheapest = new ProviderRouter(routes, ProviderRouter.Strategy.LOWEST_COST, settings.weights());
    breakers = new ProviderBreakers(settings.breakers());
    Map<String, RateLimits.Limits> keyed = new HashMap<>();
    for (RemoteModelSpec m : models.values().stream().map(OpenAiRemoteModel::spec).toList()) {
      keyed.put(m.provider(), settings.providerLimits());
      keyed.put(m.provider() + "/image", new RateLimits.Limits(0, 0, settings.imageConcurrent()));
      keyed.put(m.provider() + "/audio", new RateLimits.Limits(0, 0, settings.audioConcurrent()));
    }
    limits = new RateLimits(keyed, parallelism);
    RemoteSettings.SemanticCache semantic = settings.semanticCache();
    RemoteModelSpec embedding = semanticCacheModel(registry, semantic);
    // only text prompts have a meaning to compare (and an embedding is no answer for a neighbour);
    // a threshold above 1 turns look-ups off
    embedder =
        embedding == null
                || task == Task.CAPTION
                || task == Task.TRANSCRIPTION
                || task == Task.EMBEDDING
            ? null
            : OpenAiRemoteModel.of(registry.provider(embedding), embedding, settings.capacity());
    cache =
        new AnswerCache<>(
            settings.cacheEntries(),
            settings.cacheTtl(),
            embedder == null ? 2.0 : semantic.threshold(),
            semantic.entries());
    store =
        settings.answerStore() == null
            ? null
            : PostgresAnswerStore.open(settings.answerStore(), settings.cacheTtl());
    pii = settings.redact() ? new PiiDetector() : null;
    timer = Executors.newSingleThreadScheduledExecutor(Threads.daemon("mmflow-remote-retries"));
    spent = new DoubleAdder();
    budget = settings.budgetUsd() <= 0 ? Double.MAX_VALUE : settings.budgetUsd() / parallelism;
    inFlight = new AtomicLong();
    MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("remote", task.wireName());
    // counted from the task thread, the HTTP client's callbacks and the retry timer alike
    calls = counter(g, "calls");
    failures = counter(g, "failures");
    retries = counter(g, "retries");
    cacheHits = counter(g, "cacheHits");
    semanticHits = counter(g, "semanticCacheHits");
    storedHits = counter(g, "storedCacheHits");
    storeWriteFailures = counter(g, "storedCacheWriteFailures");
    embeddingFailures = counter(g, "semanticCacheEmbeddingFailures");
    budgetStops = counter(g, "budgetStops");
    rateLimitWaits = counter(g, "rateLimitWaits");
    g.gauge("inFlight", () -> inFlight.get());
    g.gauge("costMicroUsd", () -> (long) (spent.sum() * 1e6));
    for (String id : models.keySet()) {
      MetricGroup candidate = g.addGroup("candidate", id);
      candidate.gauge("breakerState", () -> breakers.stateCode(id));
      Counter opened = counter(candidate, "breakerOpened");
      Counter closed = counter(candidate, "breakerClosed");
      breakers.onTransition(
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

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
    if (models != null) {
      models.values().forEach(OpenAiRemoteModel::close);
    }
    if (embedder != null) {
      embedder.close();
    }
    if (store != null) {
      store.close();
    }
  }

  @Override
  public void asyncInvoke(RemoteRequest in, ResultFuture<ModalityResult> out) {
    new Call(in, out).start();
  }

  /** The async operator's own timeout: a coded error result, never a failed job. */
  @Override
  public void timeout(RemoteRequest in, ResultFuture<ModalityResult> out) {
    out.complete(
        List.of(
            error(
                    in,
                    Instant.now(),
                    ErrorCode.PROVIDER_TIMEOUT,
                    "no answer within " + settings.timeout() + " (retries included)",
                    null)
                .build()));
  }

  /** One record's way through cache, routing, limits, retries and the provider. */
  private final class Call {
    final RemoteRequest in;
    final ResultFuture<ModalityResult> out;
    final AtomicBoolean done = new AtomicBoolean();
    final Instant started = Instant.now();
    String text;
    List<PiiSpan> spans = List.of();
    String contentKey;
    float[] meaning;
    Cost embeddingCost = Cost.FREE;
    boolean storeAsked;
    boolean embeddingAsked;
    boolean heldBack;
    int attempt;
    String lastCandidate;

    Call(RemoteRequest in, ResultFuture<ModalityResult> out) {
      this.in = in;
      this.out = out;
    }

    void start() {
      try {
        prepare();
      } catch (RuntimeException e) {
        finish(error(in, started, code(e), e.getMessage(), null).build());
        return;
      }
      next();
    }

    /**
     * The prompt's embedding for the semantic cache, asked only after both exact caches missed (its
     * cost is the result's too); without it (the call failed) the record goes to the provider.
     */
    void embedThenNext() {
      CompletableFuture<RemoteAnswer> f;
      try {
        f = embedder.embed(List.of(text));
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      f.whenComplete(
          (answer, failure) -> {
            if (failure == null && !answer.embeddings().isEmpty()) {
              meaning = Vectors.unitLength(answer.embeddings().get(0).clone());
              embeddingCost = answer.cost();
              spent.add(embeddingCost.usd());
            } else {
              embeddingFailures.inc();
            }
            next();
          });
    }

    /** Normalization and the PII guard for text; the content hash the cache keys on. */
    void prepare() {
      if (in.text() != null) {
        text = TextNormalizer.normalize(in.text()).text();
        if (pii != null) {
          spans = pii.detect(text);
          if (!spans.isEmpty()) {
            text = PiiRedactor.redact(text, spans).text();
          }
        }
        contentKey = sha256(text.getBytes(StandardCharsets.UTF_8));
      } else if (in.bytes() != null && in.bytes().length > 0) {
        contentKey = in.contentSha256() != null ? in.contentSha256() : sha256(in.bytes());
      } else {
        throw new MmflowException(ErrorCode.EMPTY_INPUT, "nothing to send: no text and no bytes");
      }
    }

    void next() {
      if (done.get()) {
        return;
      }
      boolean cheap = spent.sum() >= budget * RemoteSettings.CHEAP_AFTER;
      if (spent.sum() >= budget) {
        budgetStops.inc();
        finish(
            error(
                    in,
                    started,
                    ErrorCode.BUDGET_EXHAUSTED,
                    String.format(
                        Locale.ROOT, "the job's budget of %.4f USD is spent", settings.budgetUsd()),
                    null)
                .build());
        return;
      }
      List<ProviderRouter.Candidate> order;
      synchronized (router) {
        order = (cheap ? cheapest : router).order();
      }
      for (ProviderRouter.Candidate c : order) {
        OpenAiRemoteModel model = models.get(c.id());
        Optional<AnswerCache.Found<RemoteAnswer>> hit =
            cache.find(cacheKey(model.spec()), c.id(), meaning);
        if (hit.isPresent()) {
          cacheHits.inc();
          if (hit.get().hit() == AnswerCache.Hit.SEMANTIC) {
            semanticHits.inc();
          }
          finish(ok(hit.get().answer(), model.spec(), hit.get()));
          return;
        }
      }
      // cheapest first: memory (above), the table across runs, then an embedding for a
      // semantic look-up; each comes back here when it found nothing
      if (store != null && !storeAsked) {
        storeAsked = true;
        findStored(order, 0);
        return;
      }
      if (embedder != null && text != null && !embeddingAsked) {
        embeddingAsked = true;
        embedThenNext();
        return;
      }
      for (ProviderRouter.Candidate c : order) {
        if (cheap && c != order.get(0)) {
          break; // past 80% of the budget only the cheapest is asked
        }
        OpenAiRemoteModel model = models.get(c.id());
        String[] keys = limitKeys(model.spec());
        RateLimits.Admission admission = limits.admit(expectedTokens(model.spec()), keys);
        if (!admission.admitted()) {
          if (!heldBack) {
            heldBack = true;
            rateLimitWaits.inc(); // once per record, however often it is re-checked
          }
          later(admission.waitFor());
          return;
        }
        if (!breakers.tryAcquire(c.id())) {
          limits.release(keys);
          continue; // open: fall back to the next candidate
        }
        call(model, keys);
        return;
      }
      // every breaker is open: wait for a cooldown if attempts remain
      attempt++;
      if (attempt < settings.backoff().maxAttempts()) {
        retries.inc();
        later(
            settings
                .backoff()
                .delay(attempt, Optional.empty(), ThreadLocalRandom.current()::nextDouble));
      } else {
        finish(
            error(
                    in,
                    started,
                    ErrorCode.PROVIDER_UNAVAILABLE,
                    "every candidate's circuit breaker is open",
                    lastCandidate)
                .build());
      }
    }

    /** Asks the table across runs for each candidate's key in turn, then goes on routing. */
    void findStored(List<ProviderRouter.Candidate> order, int i) {
      if (i == order.size()) {
        next();
        return;
      }
      RemoteModelSpec spec = models.get(order.get(i).id()).spec();
      String key = cacheKey(spec);
      store
          .find(key)
          .whenComplete(
              (found, failure) -> {
                if (failure == null && found.isPresent()) {
                  RemoteAnswer answer = found.get();
                  cache.put(key, spec.id(), meaning, answer);
                  cacheHits.inc();
                  storedHits.inc();
                  finish(
                      ok(answer, spec, new AnswerCache.Found<>(answer, AnswerCache.Hit.STORED, 1)));
                } else {
                  findStored(order, i + 1);
                }
              });
    }

    void call(OpenAiRemoteModel model, String[] keys) {
      String id = model.spec().id();
      lastCandidate = id;
      calls.inc();
      inFlight.incrementAndGet();
      long t0 = System.nanoTime();
      CompletableFuture<RemoteAnswer> f;
      try {
        f = send(model);
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      f.whenComplete(
          (answer, failure) -> {
            long nanos = System.nanoTime() - t0;
            inFlight.decrementAndGet();
            limits.release(keys);
            if (failure == null) {
              breakers.success(id, nanos);
              synchronized (router) {
                router.record(id, true, nanos);
                cheapest.record(id, true, nanos);
              }
              spent.add(answer.cost().usd());
              String key = cacheKey(model.spec());
              cache.put(key, id, meaning, answer);
              if (store != null) {
                store
                    .put(key, answer)
                    .thenAccept(
                        written -> {
                          if (!written) {
                            storeWriteFailures.inc();
                          }
                        });
              }
              finish(ok(answer, model.spec(), null));
              return;
            }
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            failures.inc();
            breakers.failure(id, nanos, cause);
            synchronized (router) {
              router.record(id, false, nanos);
              cheapest.record(id, false, nanos);
            }
            ErrorCode code = code(cause);
            Optional<Duration> retryAfter =
                cause instanceof RemoteCallException r ? r.retryAfter() : Optional.empty();
            attempt++;
            if (settings.backoff().retries(code, attempt, retryAfter)) {
              retries.inc();
              later(
                  settings
                      .backoff()
                      .delay(attempt, retryAfter, ThreadLocalRandom.current()::nextDouble));
            } else {
              finish(error(in, started, code, cause.getMessage(), id).build());
            }
          });
    }

    CompletableFuture<RemoteAnswer> send(OpenAiRemoteModel model) {
      return switch (task) {
        case CAPTION -> model.caption(in.bytes(), in.mediaType());
        case TRANSCRIPTION -> model.transcribe(in.bytes(), fileName());
        case EMBEDDING -> model.embed(List.of(text));
        default -> model.text(task, text);
      };
    }

    String fileName() {
      String uri = in.sourceUri() == null ? "audio" : in.sourceUri();
      return uri.substring(uri.lastIndexOf('/') + 1);
    }

    void later(Duration wait) {
      if (!done.get()) {
        timer.schedule(this::next, Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
      }
    }

    String cacheKey(RemoteModelSpec m) {
      return AnswerCache.key(contentKey, task.wireName(), m.id(), m.model(), PROMPT_VERSION);
    }

    long expectedTokens(RemoteModelSpec m) {
      return expectedInputTokens(text) + m.maxTokens();
    }

    String[] limitKeys(RemoteModelSpec m) {
      return switch (in.modality()) {
        case IMAGE -> new String[] {m.provider(), m.provider() + "/image"};
        case AUDIO -> new String[] {m.provider(), m.provider() + "/audio"};
        default -> new String[] {m.provider()};
      };
    }

    /** An answer as the result; {@code hit} says how the cache found it (null: the provider). */
    ModalityResult ok(RemoteAnswer a, RemoteModelSpec m, AnswerCache.Found<RemoteAnswer> hit) {
      boolean cacheHit = hit != null;
      Instant now = Instant.now();
      List<Entity> entities = new ArrayList<>(a.entities());
      entities.addAll(PiiSpan.entities(spans));
      Optional<Label> top = a.topLabel();
      ModalityResult.Builder b =
          base(in)
              .status(ResultStatus.OK)
              .labels(a.labels())
              .entities(entities)
              .provenance(
                  new Provenance(
                      m.provider(),
                      m.id(),
                      m.model(),
                      in.sourceUri(),
                      in.contentSha256(),
                      cacheHit))
              .timing(Timing.of(in.eventTime(), started, now))
              .cost((cacheHit ? Cost.FREE : a.cost()).plus(embeddingCost))
              .attribute("route", m.id())
              .attribute("attempts", Integer.toString(attempt + (cacheHit ? 0 : 1)))
              .attribute("pii_redacted", Integer.toString(pii == null ? 0 : spans.size()));
      a.text().ifPresent(b::text);
      if (!a.embeddings().isEmpty()) {
        b.embedding(a.embeddings().get(0));
      }
      if (cacheHit) {
        b.attribute("cache_hit", hit.hit().name().toLowerCase(Locale.ROOT));
        if (hit.hit() == AnswerCache.Hit.SEMANTIC) {
          b.attribute("cache_similarity", String.format(Locale.ROOT, "%.4f", hit.similarity()));
        }
      }
      a.requestId().ifPresent(id -> b.attribute("request_id", id));
      top.ifPresent(l -> b.confidence(l.score(), "provider-reported"));
      return b.build();
    }

    void finish(ModalityResult r) {
      if (done.compareAndSet(false, true)) {
        out.complete(List.of(r));
      }
    }
  }

  private ModalityResult.Builder base(RemoteRequest in) {
    return ModalityResult.builder()
        .itemId(in.itemId())
        .partId(in.partId())
        .correlationId(in.correlationId())
        .modality(in.modality())
        .task(task);
  }

  private ModalityResult.Builder error(
      RemoteRequest in, Instant started, ErrorCode code, String message, String candidate) {
    return base(in)
        .error(ResultError.of(code, message))
        .provenance(
            new Provenance(
                "remote",
                candidate == null ? "none" : candidate,
                "-",
                in.sourceUri(),
                in.contentSha256(),
                false))
        .timing(Timing.of(in.eventTime(), started, Instant.now()));
  }

  /** A rough token count (4 characters a token) for rate limits, before the provider says. */
  static long expectedInputTokens(String text) {
    return text == null ? 1000 : Math.max(1, text.length() / 4);
  }

  private static ErrorCode code(Throwable t) {
    return t instanceof MmflowException m ? m.code() : ErrorCode.PROVIDER_UNAVAILABLE;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
