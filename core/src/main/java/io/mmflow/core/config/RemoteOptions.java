package io.mmflow.core.config;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Remote providers (OpenAI-compatible), called through Flink async I/O. See docs/remote.md. */
public final class RemoteOptions {
  public static final ConfigOption<String> PROVIDERS =
      ConfigOptions.key("mmflow.remote.providers")
          .stringType()
          .defaultValue("")
          .withDescription(
              "The providers file (YAML: providers, their base URLs, key sources and models);"
                  + " empty: no remote calls.");

  public static final ConfigOption<String> TEXT_TASK =
      ConfigOptions.key("mmflow.remote.text-task")
          .stringType()
          .defaultValue("")
          .withDescription(
              "Task asked of a remote model for each document's text: sentiment, summary,"
                  + " entities, classification or embedding; empty for none.");

  public static final ConfigOption<Boolean> IMAGE_CAPTION =
      ConfigOptions.key("mmflow.remote.image-caption")
          .booleanType()
          .defaultValue(false)
          .withDescription("Whether every image file gets a caption from a remote vision model.");

  public static final ConfigOption<Boolean> AUDIO_TRANSCRIPTION =
      ConfigOptions.key("mmflow.remote.audio-transcription")
          .booleanType()
          .defaultValue(false)
          .withDescription("Whether every audio file is transcribed by a remote model.");

  public static final ConfigOption<String> STRATEGY =
      ConfigOptions.key("mmflow.remote.routing")
          .stringType()
          .defaultValue("weighted")
          .withDescription(
              "How candidates are ordered: weighted (latency 0.3, cost 0.2, quality 0.4,"
                  + " reliability 0.1; see mmflow.remote.weights), lowest-latency, lowest-cost,"
                  + " ordered (as declared).");

  public static final ConfigOption<String> WEIGHTS =
      ConfigOptions.key("mmflow.remote.weights")
          .stringType()
          .defaultValue("0.3,0.2,0.4,0.1")
          .withDescription(
              "Weights of latency, cost, quality and reliability for weighted routing.");

  public static final ConfigOption<Integer> CAPACITY =
      ConfigOptions.key("mmflow.remote.capacity")
          .intType()
          .defaultValue(100)
          .withDescription("Calls in flight per operator subtask (Flink async I/O capacity).");

  public static final ConfigOption<Duration> TIMEOUT =
      ConfigOptions.key("mmflow.remote.timeout")
          .durationType()
          .defaultValue(Duration.ofSeconds(60))
          .withDescription(
              "Longest a record waits for its answer, retries included; then it gets a"
                  + " PROVIDER_TIMEOUT error result (the job goes on).");

  public static final ConfigOption<Integer> MAX_ATTEMPTS =
      ConfigOptions.key("mmflow.remote.max-attempts")
          .intType()
          .defaultValue(4)
          .withDescription("Calls per record, retries and fallbacks included.");

  public static final ConfigOption<Duration> BACKOFF =
      ConfigOptions.key("mmflow.remote.backoff")
          .durationType()
          .defaultValue(Duration.ofMillis(100))
          .withDescription(
              "First retry's backoff ceiling; doubles per retry up to 5 s, full jitter; a"
                  + " provider's Retry-After is a floor.");

  public static final ConfigOption<Integer> BREAKER_FAILURE_RATE =
      ConfigOptions.key("mmflow.remote.breaker.failure-rate")
          .intType()
          .defaultValue(50)
          .withDescription("Percent of provider faults in the window that opens a breaker.");

  public static final ConfigOption<Integer> BREAKER_WINDOW =
      ConfigOptions.key("mmflow.remote.breaker.window")
          .intType()
          .defaultValue(20)
          .withDescription("Calls a breaker judges (at least half of them before it opens).");

  public static final ConfigOption<Duration> BREAKER_COOLDOWN =
      ConfigOptions.key("mmflow.remote.breaker.cooldown")
          .durationType()
          .defaultValue(Duration.ofSeconds(10))
          .withDescription("Time a breaker stays open before it lets probes through.");

  public static final ConfigOption<Integer> BREAKER_PROBES =
      ConfigOptions.key("mmflow.remote.breaker.probes")
          .intType()
          .defaultValue(3)
          .withDescription("Calls let through by a half-open breaker; success closes it.");

  public static final ConfigOption<Long> REQUESTS_PER_MINUTE =
      ConfigOptions.key("mmflow.remote.requests-per-minute")
          .longType()
          .defaultValue(0L)
          .withDescription("Per provider, shared by the subtasks; 0 for no limit.");

  public static final ConfigOption<Long> TOKENS_PER_MINUTE =
      ConfigOptions.key("mmflow.remote.tokens-per-minute")
          .longType()
          .defaultValue(0L)
          .withDescription("Per provider (estimated before each call), shared; 0 for no limit.");

  public static final ConfigOption<Integer> CONCURRENT =
      ConfigOptions.key("mmflow.remote.concurrent")
          .intType()
          .defaultValue(0)
          .withDescription("Calls in flight per provider, shared by the subtasks; 0 for no limit.");

  public static final ConfigOption<Integer> IMAGE_CONCURRENT =
      ConfigOptions.key("mmflow.remote.image.concurrent")
          .intType()
          .defaultValue(0)
          .withDescription("Image calls in flight per provider, shared; 0 for no limit.");

  public static final ConfigOption<Integer> AUDIO_CONCURRENT =
      ConfigOptions.key("mmflow.remote.audio.concurrent")
          .intType()
          .defaultValue(0)
          .withDescription("Audio calls in flight per provider, shared; 0 for no limit.");

  public static final ConfigOption<Double> BUDGET_USD =
      ConfigOptions.key("mmflow.remote.budget-usd")
          .doubleType()
          .defaultValue(0.0)
          .withDescription(
              "Cost budget of the job in US dollars (shared by the subtasks); past 80% calls go"
                  + " to the cheapest candidate, past 100% they stop with BUDGET_EXHAUSTED"
                  + " results. 0 for none.");

  public static final ConfigOption<Boolean> REDACT =
      ConfigOptions.key("mmflow.remote.redact-pii")
          .booleanType()
          .defaultValue(true)
          .withDescription(
              "Replace e-mails, phones, cards, IBANs, national ids and IPs by placeholders before"
                  + " text leaves for a provider; the result keeps their spans as entities.");

  public static final ConfigOption<Long> CACHE_ENTRIES =
      ConfigOptions.key("mmflow.remote.cache.entries")
          .longType()
          .defaultValue(100_000L)
          .withDescription("Answers kept per subtask (content hash + task + model + prompt).");

  public static final ConfigOption<Duration> CACHE_TTL =
      ConfigOptions.key("mmflow.remote.cache.ttl")
          .durationType()
          .defaultValue(Duration.ofHours(24))
          .withDescription("How long a cached answer is served.");

  public static final ConfigOption<Boolean> CACHE_POSTGRES =
      ConfigOptions.key("mmflow.remote.cache.postgres")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "Also keep answers in the serving PostgreSQL (table remote_answers, same key and"
                  + " time to live): later runs, restarts and backfills reuse what was paid for.");

  public static final ConfigOption<String> SEMANTIC_CACHE_MODEL =
      ConfigOptions.key("mmflow.remote.cache.semantic-model")
          .stringType()
          .defaultValue("")
          .withDescription(
              "Id of a declared remote model with the embedding task: a text prompt whose"
                  + " embedding is close enough to a cached one's gets that answer (a semantic"
                  + " hit, marked in the result); empty for the exact cache only.");

  public static final ConfigOption<Double> SEMANTIC_CACHE_THRESHOLD =
      ConfigOptions.key("mmflow.remote.cache.semantic-threshold")
          .doubleType()
          .defaultValue(0.95)
          .withDescription("Cosine similarity at or above which a semantic hit is served.");

  public static final ConfigOption<Integer> SEMANTIC_CACHE_ENTRIES =
      ConfigOptions.key("mmflow.remote.cache.semantic-entries")
          .intType()
          .defaultValue(10_000)
          .withDescription("Embeddings kept per subtask for semantic look-ups (oldest dropped).");

  private RemoteOptions() {}

  public static List<ConfigOption<?>> all() {
    return List.of(
        PROVIDERS,
        TEXT_TASK,
        IMAGE_CAPTION,
        AUDIO_TRANSCRIPTION,
        STRATEGY,
        WEIGHTS,
        CAPACITY,
        TIMEOUT,
        MAX_ATTEMPTS,
        BACKOFF,
        BREAKER_FAILURE_RATE,
        BREAKER_WINDOW,
        BREAKER_COOLDOWN,
        BREAKER_PROBES,
        REQUESTS_PER_MINUTE,
        TOKENS_PER_MINUTE,
        CONCURRENT,
        IMAGE_CONCURRENT,
        AUDIO_CONCURRENT,
        BUDGET_USD,
        REDACT,
        CACHE_ENTRIES,
        CACHE_TTL,
        CACHE_POSTGRES,
        SEMANTIC_CACHE_MODEL,
        SEMANTIC_CACHE_THRESHOLD,
        SEMANTIC_CACHE_ENTRIES);
  }
}
