package io.mmflow.operators.infer.remote;

import io.mmflow.core.config.PostgresOptions;
import io.mmflow.core.config.RemoteOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.operators.infer.remote.resilience.Backoff;
import io.mmflow.operators.infer.remote.resilience.ProviderBreakers;
import io.mmflow.operators.infer.remote.resilience.RateLimits;
import io.mmflow.operators.infer.remote.routing.ProviderRouter;
import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;
import org.apache.flink.configuration.Configuration;

/** Everything a remote stage needs from the configuration, checked once at job start. */
public record RemoteSettings(
    String providersFile,
    ProviderRouter.Strategy strategy,
    ProviderRouter.Weights weights,
    int capacity,
    Duration timeout,
    Backoff backoff,
    ProviderBreakers.Settings breakers,
    RateLimits.Limits providerLimits,
    int imageConcurrent,
    int audioConcurrent,
    double budgetUsd,
    boolean redact,
    long cacheEntries,
    Duration cacheTtl,
    SemanticCache semanticCache,
    PostgresAnswerStore.Target answerStore)
    implements Serializable {

  /**
   * The semantic cache: text prompts are embedded by the remote model {@code model} (empty: off)
   * and an answer is served for a prompt at cosine similarity {@code threshold} or more.
   */
  public record SemanticCache(String model, double threshold, int entries) implements Serializable {
    public boolean enabled() {
      return !model.isEmpty();
    }
  }

  /** Share of the budget after which only the cheapest candidate is called. */
  public static final double CHEAP_AFTER = 0.8;

  public static RemoteSettings from(Configuration c) {
    ProviderRouter.Strategy strategy =
        switch (c.get(RemoteOptions.STRATEGY).trim().toLowerCase(Locale.ROOT)) {
          case "weighted" -> ProviderRouter.Strategy.WEIGHTED;
          case "lowest-latency" -> ProviderRouter.Strategy.LOWEST_LATENCY;
          case "lowest-cost" -> ProviderRouter.Strategy.LOWEST_COST;
          case "ordered" -> ProviderRouter.Strategy.ORDERED;
          default ->
              throw invalid(
                  RemoteOptions.STRATEGY.key()
                      + " must be weighted, lowest-latency, lowest-cost or ordered, not '"
                      + c.get(RemoteOptions.STRATEGY)
                      + "'");
        };
    String[] w = c.get(RemoteOptions.WEIGHTS).split(",");
    if (w.length != 4) {
      throw invalid(
          RemoteOptions.WEIGHTS.key() + " needs 4 numbers: latency,cost,quality,reliability");
    }
    ProviderRouter.Weights weights;
    try {
      weights =
          new ProviderRouter.Weights(
              Double.parseDouble(w[0].trim()),
              Double.parseDouble(w[1].trim()),
              Double.parseDouble(w[2].trim()),
              Double.parseDouble(w[3].trim()));
    } catch (NumberFormatException e) {
      throw invalid(RemoteOptions.WEIGHTS.key() + " holds a value that is not a number");
    }
    int capacity = c.get(RemoteOptions.CAPACITY);
    int attempts = c.get(RemoteOptions.MAX_ATTEMPTS);
    if (capacity < 1 || attempts < 1) {
      throw invalid("mmflow.remote.capacity and mmflow.remote.max-attempts must be >= 1");
    }
    Duration first = c.get(RemoteOptions.BACKOFF);
    return new RemoteSettings(
        c.get(RemoteOptions.PROVIDERS).trim(),
        strategy,
        weights,
        capacity,
        c.get(RemoteOptions.TIMEOUT),
        new Backoff(
            first,
            first.compareTo(Duration.ofSeconds(5)) > 0 ? first : Duration.ofSeconds(5),
            2,
            attempts,
            Duration.ofSeconds(60)),
        new ProviderBreakers.Settings(
            c.get(RemoteOptions.BREAKER_FAILURE_RATE),
            c.get(RemoteOptions.BREAKER_WINDOW),
            Math.max(1, c.get(RemoteOptions.BREAKER_WINDOW) / 2),
            c.get(RemoteOptions.BREAKER_COOLDOWN),
            c.get(RemoteOptions.BREAKER_PROBES)),
        new RateLimits.Limits(
            c.get(RemoteOptions.REQUESTS_PER_MINUTE),
            c.get(RemoteOptions.TOKENS_PER_MINUTE),
            c.get(RemoteOptions.CONCURRENT)),
        c.get(RemoteOptions.IMAGE_CONCURRENT),
        c.get(RemoteOptions.AUDIO_CONCURRENT),
        c.get(RemoteOptions.BUDGET_USD),
        c.get(RemoteOptions.REDACT),
        c.get(RemoteOptions.CACHE_ENTRIES),
        c.get(RemoteOptions.CACHE_TTL),
        semanticCache(c),
        c.get(RemoteOptions.CACHE_POSTGRES) ? answerStore(c) : null);
  }

  /** The serving PostgreSQL (its URL is set by the runner when it starts the embedded one). */
  private static PostgresAnswerStore.Target answerStore(Configuration c) {
    if (!c.get(PostgresOptions.ENABLED)) {
      throw invalid(
          RemoteOptions.CACHE_POSTGRES.key()
              + " needs the serving PostgreSQL (mmflow.postgres.enabled)");
    }
    return new PostgresAnswerStore.Target(
        c.getOptional(PostgresOptions.URL).orElse(null),
        c.get(PostgresOptions.USER),
        c.getOptional(PostgresOptions.PASSWORD)
            .orElse(System.getenv(PostgresOptions.PASSWORD_ENV)));
  }

  private static SemanticCache semanticCache(Configuration c) {
    double threshold = c.get(RemoteOptions.SEMANTIC_CACHE_THRESHOLD);
    if (!(threshold > 0 && threshold <= 1)) {
      throw invalid(RemoteOptions.SEMANTIC_CACHE_THRESHOLD.key() + " must be in (0, 1]");
    }
    return new SemanticCache(
        c.get(RemoteOptions.SEMANTIC_CACHE_MODEL).trim(),
        threshold,
        Math.max(1, c.get(RemoteOptions.SEMANTIC_CACHE_ENTRIES)));
  }

  private static MmflowException invalid(String message) {
    return new MmflowException(ErrorCode.CONFIGURATION_INVALID, message);
  }
}
