package io.mmflow.connectors.embedded;

import java.util.Optional;
import java.util.Random;

/**
 * The behaviour of a {@link LoopbackOpenAiServer}, changeable while it runs (every setter is safe
 * to call from any thread and takes effect for the next request). Setters return {@code this}.
 *
 * <p>Faults are drawn per request, in this order: a 5xx answer ({@link #serverErrorRate}), a 429
 * answer with {@code Retry-After} ({@link #rateLimitRate}), no answer until {@link #hangMillis}
 * pass or the server closes ({@link #timeoutRate}), a chat answer whose content is not JSON ({@link
 * #badJsonRate}). A required API key is checked before all of them (401 otherwise).
 */
public final class LoopbackSettings {
  private volatile Latency latency = Latency.NONE;
  private volatile double serverErrorRate;
  private volatile double rateLimitRate;
  private volatile int retryAfterSeconds = 1;
  private volatile double timeoutRate;
  private volatile long hangMillis = 30_000;
  private volatile double badJsonRate;
  private volatile boolean dropReusedConnections;
  private volatile String requiredApiKey;
  private volatile int embeddingDimension = 16;
  private volatile int logCapacity = 1000;
  private volatile int maxLoggedBody = 1 << 20;
  private volatile Random random = new Random(42);

  /** Settings with no latency, no faults and no key check; seed 42. */
  public LoopbackSettings() {}

  public Latency latency() {
    return latency;
  }

  /** The delay before each answer (faults included). */
  public LoopbackSettings latency(Latency latency) {
    this.latency = java.util.Objects.requireNonNull(latency, "latency is null");
    return this;
  }

  public double serverErrorRate() {
    return serverErrorRate;
  }

  /** The fraction of requests answered with HTTP 500. */
  public LoopbackSettings serverErrorRate(double rate) {
    this.serverErrorRate = fraction(rate);
    return this;
  }

  public double rateLimitRate() {
    return rateLimitRate;
  }

  /** The fraction of requests answered with HTTP 429 and {@code Retry-After}. */
  public LoopbackSettings rateLimitRate(double rate) {
    this.rateLimitRate = fraction(rate);
    return this;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The {@code Retry-After} seconds sent with 429 answers. */
  public LoopbackSettings retryAfterSeconds(int seconds) {
    this.retryAfterSeconds = Math.max(0, seconds);
    return this;
  }

  public double timeoutRate() {
    return timeoutRate;
  }

  /** The fraction of requests held without answer for {@link #hangMillis} or until closed. */
  public LoopbackSettings timeoutRate(double rate) {
    this.timeoutRate = fraction(rate);
    return this;
  }

  public long hangMillis() {
    return hangMillis;
  }

  /** How long a "timeout" request is held (default 30 s, longer than any client timeout). */
  public LoopbackSettings hangMillis(long millis) {
    this.hangMillis = Math.max(0, millis);
    return this;
  }

  public double badJsonRate() {
    return badJsonRate;
  }

  /** The fraction of chat answers whose message content is not JSON. */
  public LoopbackSettings badJsonRate(double rate) {
    this.badJsonRate = fraction(rate);
    return this;
  }

  public boolean dropReusedConnections() {
    return dropReusedConnections;
  }

  /**
   * Whether a request on a connection that already carried one is dropped: the server reads it and
   * closes the connection without a byte of answer, as a server does that trims its idle keep-alive
   * connections while a client is reusing one.
   */
  public LoopbackSettings dropReusedConnections(boolean drop) {
    this.dropReusedConnections = drop;
    return this;
  }

  public Optional<String> requiredApiKey() {
    return Optional.ofNullable(requiredApiKey);
  }

  /** The bearer key requests must carry (401 otherwise); null for none. */
  public LoopbackSettings requiredApiKey(String key) {
    this.requiredApiKey = key;
    return this;
  }

  public int embeddingDimension() {
    return embeddingDimension;
  }

  /** The length of embedding vectors (default 16). */
  public LoopbackSettings embeddingDimension(int dimension) {
    if (dimension < 1) {
      throw new IllegalArgumentException("embedding dimension must be >= 1");
    }
    this.embeddingDimension = dimension;
    return this;
  }

  public int logCapacity() {
    return logCapacity;
  }

  /** How many requests the log keeps (the oldest are dropped). */
  public LoopbackSettings logCapacity(int capacity) {
    this.logCapacity = Math.max(0, capacity);
    return this;
  }

  public int maxLoggedBody() {
    return maxLoggedBody;
  }

  /** The most characters of a body kept in the log. */
  public LoopbackSettings maxLoggedBody(int chars) {
    this.maxLoggedBody = Math.max(0, chars);
    return this;
  }

  /** Restarts the random draws (latency, faults) from {@code seed}. */
  public LoopbackSettings seed(long seed) {
    this.random = new Random(seed);
    return this;
  }

  Random random() {
    return random;
  }

  private static double fraction(double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("a rate must be between 0 and 1, not " + rate);
    }
    return rate;
  }

  @Override
  public String toString() {
    return "LoopbackSettings[latency=%s, 5xx=%s, 429=%s (retry %ds), timeout=%s, badJson=%s, key=%s]"
        .formatted(
            latency,
            serverErrorRate,
            rateLimitRate,
            retryAfterSeconds,
            timeoutRate,
            badJsonRate,
            requiredApiKey == null ? "none" : "***");
  }
}
