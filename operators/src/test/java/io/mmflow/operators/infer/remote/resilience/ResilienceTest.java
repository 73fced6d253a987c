package io.mmflow.operators.infer.remote.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ResilienceTest {
  @Test
  void backoffGrowsWithFullJitterAndHonoursRetryAfter() {
    Backoff b =
        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 2, 4, Duration.ofSeconds(30));
    // the ceiling doubles: 100, 200, 400 ms ... capped at 1 s; random 0.999 sits just under it
    assertThat(b.delay(1, Optional.empty(), () -> 0.999).toMillis()).isEqualTo(99);
    assertThat(b.delay(3, Optional.empty(), () -> 0.999).toMillis()).isEqualTo(399);
    assertThat(b.delay(9, Optional.empty(), () -> 0.999).toMillis()).isEqualTo(999);
    assertThat(b.delay(3, Optional.empty(), () -> 0.0)).isZero();
    // a provider's Retry-After is a floor
    assertThat(b.delay(1, Optional.of(Duration.ofSeconds(2)), () -> 0.5)).hasSeconds(2);
    assertThat(b.retries(ErrorCode.PROVIDER_UNAVAILABLE, 1, Optional.empty())).isTrue();
    assertThat(b.retries(ErrorCode.PROVIDER_UNAVAILABLE, 4, Optional.empty())).isFalse();
    assertThat(b.retries(ErrorCode.PROVIDER_BAD_RESPONSE, 1, Optional.empty())).isFalse();
    assertThat(b.retries(ErrorCode.PROVIDER_RATE_LIMITED, 1, Optional.of(Duration.ofMinutes(5))))
        .isFalse();
  }

  @Test
  void breakerOpensOnProviderFaultsProbesAfterCooldownAndCloses() throws Exception {
    ProviderBreakers breakers =
        new ProviderBreakers(new ProviderBreakers.Settings(50, 4, 4, Duration.ofMillis(200), 2));
    List<CircuitBreaker.State> transitions = new CopyOnWriteArrayList<>();
    breakers.onTransition("p/m", transitions::add);
    MmflowException down = new MmflowException(ErrorCode.PROVIDER_UNAVAILABLE, "503");
    MmflowException badAnswer = new MmflowException(ErrorCode.PROVIDER_BAD_RESPONSE, "not json");
    for (int i = 0; i < 4; i++) {
      assertThat(breakers.tryAcquire("p/m")).isTrue();
      breakers.failure("p/m", 1_000_000, i % 2 == 0 ? badAnswer : down);
    }
    // bad answers are not provider faults: 2 of 4 faults = 50% opens it
    assertThat(breakers.state("p/m")).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(breakers.tryAcquire("p/m")).isFalse();
    assertThat(breakers.tryAcquire("other/m")).isTrue(); // one breaker per candidate
    Thread.sleep(250);
    assertThat(breakers.tryAcquire("p/m")).isTrue(); // half-open probe
    assertThat(breakers.state("p/m")).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    // a probe sent again on a new connection gives its permission back: without it, two such
    // probes would leave the breaker half-open and refusing for good
    assertThat(breakers.tryAcquire("p/m")).isTrue();
    breakers.release("p/m");
    breakers.release("p/m");
    assertThat(breakers.tryAcquire("p/m")).isTrue();
    breakers.success("p/m", 1_000_000);
    assertThat(breakers.tryAcquire("p/m")).isTrue();
    breakers.success("p/m", 1_000_000);
    assertThat(breakers.state("p/m")).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(breakers.stateCode("p/m")).isZero();
    assertThat(transitions)
        .containsExactly(
            CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN, CircuitBreaker.State.CLOSED);
  }

  @Test
  void rateLimitsSplitTheBudgetAcrossSubtasksAndSayHowLongToWait() {
    RateLimits limits =
        new RateLimits(
            Map.of(
                "openai",
                new RateLimits.Limits(120, 6000, 4),
                "openai/image",
                new RateLimits.Limits(0, 0, 1)),
            2);
    // this subtask's share: 60 requests, 3000 tokens, 2 in flight per minute
    assertThat(limits.admit(1000, "openai").admitted()).isTrue();
    assertThat(limits.admit(1000, "openai").admitted()).isTrue();
    RateLimits.Admission third = limits.admit(10, "openai");
    assertThat(third.admitted()).isFalse(); // 2 in flight already
    limits.release("openai");
    assertThat(limits.admit(1000, "openai").admitted()).isTrue();
    limits.release("openai");
    limits.release("openai");
    // 3000 tokens spent: the next 1000 must wait for the refill (1000 tokens = 20 s at 3000/min)
    RateLimits.Admission tokens = limits.admit(1000, "openai");
    assertThat(tokens.admitted()).isFalse();
    assertThat(tokens.waitFor()).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(21));
    // a modality key limits on top of the provider's: 1 image in flight (max(1, 1 / 2))
    limits.release("openai");
    assertThat(limits.admit(0, "openai/image").admitted()).isTrue();
    assertThat(limits.admit(0, "openai/image").admitted()).isFalse();
    assertThat(limits.inFlight("openai/image")).isEqualTo(1);
    assertThat(limits.admit(0, "unlimited").admitted()).isTrue();
  }
}
