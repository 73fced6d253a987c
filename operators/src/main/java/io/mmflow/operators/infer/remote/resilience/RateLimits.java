package io.mmflow.operators.infer.remote.resilience;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.local.LocalBucketBuilder;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token-bucket limits on remote calls (Bucket4j), per key (a provider, or a provider and a
 * modality): requests per minute, tokens per minute and requests in flight. The budget a provider
 * grants is shared by all subtasks of the operator, so each subtask gets {@code 1 / parallelism} of
 * it (at least one request and one call in flight): together they stay within the provider's limit
 * without talking to each other.
 *
 * <p>Admission never blocks a thread: {@link #admit} takes what the call needs or says how long to
 * wait, and the async operator schedules the call for then.
 */
public final class RateLimits {
  /**
   * A provider's (or a modality's) limits; 0 means unlimited.
   *
   * @param requestsPerMinute calls started per minute
   * @param tokensPerMinute prompt + completion tokens per minute (estimated before the call)
   * @param concurrent calls in flight
   */
  public record Limits(long requestsPerMinute, long tokensPerMinute, int concurrent)
      implements Serializable {
    public static final Limits NONE = new Limits(0, 0, 0);

    /** This subtask's share of the limits. */
    public Limits share(int parallelism) {
      return new Limits(
          requestsPerMinute == 0 ? 0 : Math.max(1, requestsPerMinute / parallelism),
          tokensPerMinute == 0 ? 0 : Math.max(1, tokensPerMinute / parallelism),
          concurrent == 0 ? 0 : Math.max(1, concurrent / parallelism));
    }
  }

  /** The answer to a call asking to start: admitted, or the wait before asking again. */
  public record Admission(boolean admitted, Duration waitFor) {
    static final Admission NOW = new Admission(true, Duration.ZERO);
  }

  private final Map<String, Limits> limits;
  private final int parallelism;
  private final Map<String, State> states = new ConcurrentHashMap<>();

  /**
   * @param limits key → the limits the provider grants (before the split)
   * @param parallelism the operator's parallelism, which shares them
   */
  public RateLimits(Map<String, Limits> limits, int parallelism) {
    this.limits = Map.copyOf(limits);
    this.parallelism = parallelism;
  }

  private static final class State {
    final Bucket requests;
    final Bucket tokens;
    final long tokenCapacity;
    final int concurrent;
    int inFlight;

    State(Limits l) {
      requests = bucket(l.requestsPerMinute());
      tokens = bucket(l.tokensPerMinute());
      tokenCapacity = l.tokensPerMinute();
      concurrent = l.concurrent();
    }

    /** A call larger than the whole minute's budget waits for a full bucket, then takes it all. */
    long tokens(long wanted) {
      return tokens == null ? 0 : Math.min(wanted, tokenCapacity);
    }
  }

  private static Bucket bucket(long perMinute) {
    if (perMinute == 0) {
      return null;
    }
    // greedy refill: the minute's budget trickles in evenly instead of arriving all at once
    LocalBucketBuilder b = Bucket.builder();
    return b.addLimit(
            Bandwidth.builder()
                .capacity(perMinute)
                .refillGreedy(perMinute, Duration.ofMinutes(1))
                .build())
        .build();
  }

  private State state(String key) {
    return states.computeIfAbsent(
        key, k -> new State(limits.getOrDefault(k, Limits.NONE).share(parallelism)));
  }

  /**
   * Takes one request, {@code tokens} tokens and one in-flight slot for a call under each of {@code
   * keys}, or none of them and the time to wait. A call admitted must be {@link #release}d.
   */
  public synchronized Admission admit(long tokens, String... keys) {
    long waitNanos = 0;
    for (String key : keys) {
      State s = state(key);
      if (s.concurrent > 0 && s.inFlight >= s.concurrent) {
        waitNanos = Math.max(waitNanos, Duration.ofMillis(5).toNanos());
      }
      waitNanos = Math.max(waitNanos, nanosToWait(s.requests, 1));
      waitNanos = Math.max(waitNanos, nanosToWait(s.tokens, s.tokens(tokens)));
    }
    if (waitNanos > 0) {
      return new Admission(false, Duration.ofNanos(waitNanos));
    }
    for (String key : keys) {
      State s = state(key);
      consume(s.requests, 1);
      consume(s.tokens, s.tokens(tokens));
      s.inFlight++;
    }
    return Admission.NOW;
  }

  /** Gives back the in-flight slots of an admitted call. */
  public synchronized void release(String... keys) {
    for (String key : keys) {
      State s = state(key);
      s.inFlight = Math.max(0, s.inFlight - 1);
    }
  }

  /** Calls in flight under {@code key} (a gauge). */
  public synchronized int inFlight(String key) {
    return state(key).inFlight;
  }

  /** Tokens left in {@code key}'s token bucket, or -1 when unlimited (a gauge). */
  public long tokensAvailable(String key) {
    Bucket b = state(key).tokens;
    return b == null ? -1 : b.getAvailableTokens();
  }

  private static long nanosToWait(Bucket bucket, long amount) {
    if (bucket == null || amount <= 0) {
      return 0;
    }
    EstimationProbe probe = bucket.estimateAbilityToConsume(amount);
    return probe.canBeConsumed() ? 0 : probe.getNanosToWaitForRefill();
  }

  private static void consume(Bucket bucket, long amount) {
    if (bucket != null && amount > 0) {
      bucket.tryConsume(amount);
    }
  }
}
