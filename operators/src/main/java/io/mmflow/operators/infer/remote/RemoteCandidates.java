package io.mmflow.operators.infer.remote;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.Task;
import io.mmflow.model.remote.OpenAiRemoteModel;
import io.mmflow.model.remote.ProviderRegistry;
import io.mmflow.model.remote.RemoteAnswer;
import io.mmflow.model.remote.RemoteModelSpec;
import io.mmflow.operators.infer.remote.resilience.ProviderBreakers;
import io.mmflow.operators.infer.remote.resilience.RateLimits;
import io.mmflow.operators.infer.remote.routing.ProviderRouter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * What one subtask of a remote stage can ask, and what it remembers of the answers: the models that
 * do the task (by id), their routing order, circuit breakers and rate limits, the answer caches
 * (exact and semantic in memory, across runs in PostgreSQL) and the subtask's share of the budget.
 * Shared by every call of the subtask, from the task thread, the HTTP client's callbacks and the
 * retry timer: the routers are the only part that is not thread-safe, so they are used under their
 * own lock.
 */
final class RemoteCandidates implements AutoCloseable {
  /** Part of the cache key: change it when the prompts change. */
  static final String PROMPT_VERSION = "prompts-1";

  private final Task task;
  private final Map<String, OpenAiRemoteModel> models;
  private final ProviderRouter router;

  /** Past {@link RemoteSettings#CHEAP_AFTER} of the budget: the cheapest candidate first. */
  private final ProviderRouter cheapest;

  private final ProviderBreakers breakers;
  private final RateLimits limits;
  private final AnswerCache<RemoteAnswer> cache;
  private final OpenAiRemoteModel embedder;
  private final PostgresAnswerStore store;
  private final DoubleAdder spent = new DoubleAdder();
  private final double budget;

  /**
   * Clients, breakers, buckets and caches for one subtask of {@code parallelism}: the rate limits
   * and the budget are split evenly across the subtasks. What can fail (the declarations, the
   * database) is done before any HTTP client is built.
   */
  RemoteCandidates(RemoteSettings settings, Task task, int parallelism) {
    ProviderRegistry registry = ProviderRegistry.load(Path.of(settings.providersFile()));
    List<RemoteModelSpec> specs = forTask(registry, task);
    RemoteSettings.SemanticCache semantic = settings.semanticCache();
    RemoteModelSpec embedding = semanticCacheModel(registry, semantic);
    this.task = task;
    this.store =
        settings.answerStore() == null
            ? null
            : PostgresAnswerStore.open(settings.answerStore(), settings.cacheTtl());
    this.models = new HashMap<>();
    List<ProviderRouter.Candidate> routes = new ArrayList<>();
    Map<String, RateLimits.Limits> keyed = new HashMap<>();
    for (RemoteModelSpec m : specs) {
      models.put(m.id(), OpenAiRemoteModel.of(registry.provider(m), m, settings.capacity()));
      routes.add(
          new ProviderRouter.Candidate(
              m.id(),
              m.pricing().usd(expectedInputTokens(null), m.maxTokens()),
              m.quality(),
              Duration.ofMillis(1000)));
      keyed.put(m.provider(), settings.providerLimits());
      keyed.put(m.provider() + "/image", new RateLimits.Limits(0, 0, settings.imageConcurrent()));
      keyed.put(m.provider() + "/audio", new RateLimits.Limits(0, 0, settings.audioConcurrent()));
    }
    this.router = new ProviderRouter(routes, settings.strategy(), settings.weights());
    this.cheapest =
        new ProviderRouter(routes, ProviderRouter.Strategy.LOWEST_COST, settings.weights());
    this.breakers = new ProviderBreakers(settings.breakers());
    this.limits = new RateLimits(keyed, parallelism);
    // only text prompts have a meaning to compare (and an embedding is no answer for a neighbour);
    // a threshold above 1 turns look-ups off
    this.embedder =
        embedding == null
                || task == Task.CAPTION
                || task == Task.TRANSCRIPTION
                || task == Task.EMBEDDING
            ? null
            : OpenAiRemoteModel.of(registry.provider(embedding), embedding, settings.capacity());
    this.cache =
        new AnswerCache<>(
            settings.cacheEntries(),
            settings.cacheTtl(),
            embedder == null ? 2.0 : semantic.threshold(),
            semantic.entries());
    this.budget = settings.budgetUsd() <= 0 ? Double.MAX_VALUE : settings.budgetUsd() / parallelism;
  }

  /** The registry models that can do {@code task}; a clear error when there are none. */
  static List<RemoteModelSpec> forTask(ProviderRegistry registry, Task task) {
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
  static RemoteModelSpec semanticCacheModel(
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

  Set<String> ids() {
    return models.keySet();
  }

  OpenAiRemoteModel model(String id) {
    return models.get(id);
  }

  /** The candidates best first; past 80% of the budget, cheapest first. */
  List<ProviderRouter.Candidate> order(boolean cheap) {
    synchronized (router) {
      return (cheap ? cheapest : router).order();
    }
  }

  /** A provider's answer: the breaker and both routers learn its latency. */
  void succeeded(String id, long nanos) {
    breakers.success(id, nanos);
    synchronized (router) {
      router.record(id, true, nanos);
      cheapest.record(id, true, nanos);
    }
  }

  /** A provider's failure: the breaker judges {@code cause}, both routers count it. */
  void failed(String id, long nanos, Throwable cause) {
    breakers.failure(id, nanos, cause);
    synchronized (router) {
      router.record(id, false, nanos);
      cheapest.record(id, false, nanos);
    }
  }

  ProviderBreakers breakers() {
    return breakers;
  }

  RateLimits limits() {
    return limits;
  }

  AnswerCache<RemoteAnswer> cache() {
    return cache;
  }

  /** The semantic cache's embedding model; null when that cache is off for this task. */
  OpenAiRemoteModel embedder() {
    return embedder;
  }

  /**
   * A paid answer kept in the caches: memory, and the table across runs where it is on (a failed
   * write counted in {@code metrics}).
   */
  void keep(
      String key,
      String modelId,
      float[] meaning,
      RemoteAnswer answer,
      RemoteStageMetrics metrics) {
    cache.put(key, modelId, meaning, answer);
    if (store != null) {
      store
          .put(key, answer)
          .thenAccept(
              written -> {
                if (!written) {
                  metrics.storeWriteFailures.inc();
                }
              });
    }
  }

  /** The answers across runs; null unless {@code mmflow.remote.cache.postgres}. */
  PostgresAnswerStore store() {
    return store;
  }

  /** The exact cache key of {@code model}'s answer to content {@code contentKey}. */
  String cacheKey(String contentKey, RemoteModelSpec model) {
    return AnswerCache.key(contentKey, task.wireName(), model.id(), model.model(), PROMPT_VERSION);
  }

  /** The rate-limit buckets a call takes: its provider's, and for media its modality's too. */
  static String[] limitKeys(RemoteModelSpec m, Modality modality) {
    return switch (modality) {
      case IMAGE -> new String[] {m.provider(), m.provider() + "/image"};
      case AUDIO -> new String[] {m.provider(), m.provider() + "/audio"};
      default -> new String[] {m.provider()};
    };
  }

  /** What a call of {@code m} on {@code text} (null: media) is expected to cost in tokens. */
  static long expectedTokens(RemoteModelSpec m, String text) {
    return expectedInputTokens(text) + m.maxTokens();
  }

  /** A rough token count (4 characters a token) for rate limits, before the provider says. */
  static long expectedInputTokens(String text) {
    return text == null ? 1000 : Math.max(1, text.length() / 4);
  }

  void spend(double usd) {
    spent.add(usd);
  }

  /** USD this subtask has spent (provider calls and embeddings; cache hits are free). */
  double spent() {
    return spent.sum();
  }

  /** Past 80% of the budget only the cheapest candidate is called. */
  boolean cheapOnly() {
    return spent.sum() >= budget * RemoteSettings.CHEAP_AFTER;
  }

  /** The subtask's share of the budget is spent: no more calls. */
  boolean budgetSpent() {
    return spent.sum() >= budget;
  }

  @Override
  public void close() {
    models.values().forEach(OpenAiRemoteModel::close);
    if (embedder != null) {
      embedder.close();
    }
    if (store != null) {
      store.close();
    }
  }
}
