package io.mmflow.operators.infer.remote.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.io.Serializable;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One circuit breaker per provider/model (Resilience4j): after {@code failureRatePercent} of the
 * last {@code window} calls (at least {@code minimumCalls}) failed with a provider fault, the
 * breaker opens and calls to that candidate are refused at once (the router falls back to the
 * next); after {@code cooldown} it lets {@code halfOpenProbes} calls through, and closes again if
 * they succeed. Only provider faults count (unavailable, timeout): a rate limit is handled by
 * waiting, a bad answer or bad credentials by an error result, and neither says the provider is
 * down.
 *
 * <p>One instance per operator subtask (breakers are not shared across task managers: each subtask
 * learns the provider's health from its own calls).
 */
public final class ProviderBreakers {
  private static final Set<ErrorCode> FAULTS =
      EnumSet.of(ErrorCode.PROVIDER_UNAVAILABLE, ErrorCode.PROVIDER_TIMEOUT);

  /**
   * @param failureRatePercent failure rate that opens the breaker, in (0, 100]
   * @param window calls in the sliding window
   * @param minimumCalls calls before the rate is judged
   * @param cooldown time open before half-open probes
   * @param halfOpenProbes calls let through when half-open
   */
  public record Settings(
      float failureRatePercent, int window, int minimumCalls, Duration cooldown, int halfOpenProbes)
      implements Serializable {
    public static Settings defaults() {
      return new Settings(50, 20, 10, Duration.ofSeconds(10), 3);
    }
  }

  private final CircuitBreakerRegistry registry;

  public ProviderBreakers(Settings s) {
    CircuitBreakerConfig config =
        CircuitBreakerConfig.custom()
            .failureRateThreshold(s.failureRatePercent())
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(s.window())
            .minimumNumberOfCalls(s.minimumCalls())
            .waitDurationInOpenState(s.cooldown())
            .permittedNumberOfCallsInHalfOpenState(s.halfOpenProbes())
            .automaticTransitionFromOpenToHalfOpenEnabled(false)
            .recordException(ProviderBreakers::isFault)
            .build();
    this.registry = CircuitBreakerRegistry.of(config);
  }

  /** Whether a provider fault: these count against the breaker. */
  public static boolean isFault(Throwable t) {
    return t instanceof MmflowException e && FAULTS.contains(e.code());
  }

  private CircuitBreaker breaker(String candidate) {
    return registry.circuitBreaker(candidate);
  }

  /** Asks to call {@code candidate}; false while its breaker is open (or half-open and full). */
  public boolean tryAcquire(String candidate) {
    return breaker(candidate).tryAcquirePermission();
  }

  /**
   * Gives back a permission taken by {@link #tryAcquire} for a call that neither succeeded nor
   * failed (sent again on a new connection): a half-open breaker lets only so many probes through
   * and waits for each one's outcome.
   */
  public void release(String candidate) {
    breaker(candidate).releasePermission();
  }

  /** Reports a call that got an answer. */
  public void success(String candidate, long nanos) {
    breaker(candidate).onSuccess(nanos, TimeUnit.NANOSECONDS);
  }

  /** Reports a failed call; only provider faults count as failures. */
  public void failure(String candidate, long nanos, Throwable error) {
    breaker(candidate).onError(nanos, TimeUnit.NANOSECONDS, error);
  }

  /**
   * Calls {@code listener} with the new state each time {@code candidate}'s breaker changes state
   * (on the thread that caused the change), e.g. to count openings in metrics: a gauge sampled
   * every few seconds misses a breaker that opened and closed in between.
   */
  public void onTransition(String candidate, Consumer<CircuitBreaker.State> listener) {
    breaker(candidate)
        .getEventPublisher()
        .onStateTransition(e -> listener.accept(e.getStateTransition().getToState()));
  }

  /** CLOSED, OPEN, HALF_OPEN, ... for metrics and tests. */
  public CircuitBreaker.State state(String candidate) {
    return breaker(candidate).getState();
  }

  /** 0 closed, 1 open, 2 half-open (a gauge value). */
  public int stateCode(String candidate) {
    return switch (state(candidate)) {
      case CLOSED -> 0;
      case OPEN, FORCED_OPEN -> 1;
      case HALF_OPEN -> 2;
      default -> 3;
    };
  }
}
