package io.mmflow.operators.infer.remote.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.operators.infer.remote.routing.ProviderRouter.Candidate;
import io.mmflow.operators.infer.remote.routing.ProviderRouter.Strategy;
import io.mmflow.operators.infer.remote.routing.ProviderRouter.Weights;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderRouterTest {
  private static final List<Candidate> CANDIDATES =
      List.of(
          new Candidate("big", 0.010, 0.95, Duration.ofMillis(800)),
          new Candidate("small", 0.001, 0.70, Duration.ofMillis(200)),
          new Candidate("local-gw", 0.0, 0.60, Duration.ofMillis(400)));

  private static List<String> ids(ProviderRouter r) {
    return r.order().stream().map(Candidate::id).toList();
  }

  @Test
  void strategiesOrderByTheirFigure() {
    assertThat(ids(new ProviderRouter(CANDIDATES, Strategy.ORDERED, Weights.defaults())))
        .containsExactly("big", "small", "local-gw");
    assertThat(ids(new ProviderRouter(CANDIDATES, Strategy.LOWEST_COST, Weights.defaults())))
        .containsExactly("local-gw", "small", "big");
    assertThat(ids(new ProviderRouter(CANDIDATES, Strategy.LOWEST_LATENCY, Weights.defaults())))
        .containsExactly("small", "local-gw", "big");
  }

  @Test
  void weightedScoreFollowsTheWeightsAndMeasuredLatencyAndReliability() {
    ProviderRouter quality =
        new ProviderRouter(CANDIDATES, Strategy.WEIGHTED, new Weights(0, 0, 1, 0));
    assertThat(ids(quality).get(0)).isEqualTo("big");
    ProviderRouter r = new ProviderRouter(CANDIDATES, Strategy.WEIGHTED, Weights.defaults());
    // small: 0.3 × 1 + 0.2 × (0 / 0.001 = 0) + 0.4 × 0.7 + 0.1 × 1
    assertThat(r.score(CANDIDATES.get(1)))
        .isCloseTo(0.68, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(ids(r).get(0)).isEqualTo("local-gw");
    // the free gateway starts failing and slowing down: it falls behind
    for (int i = 0; i < 20; i++) {
      r.record("local-gw", false, 5_000_000_000L);
    }
    assertThat(r.reliability("local-gw")).isLessThan(0.05);
    assertThat(r.latencyMs("local-gw")).isGreaterThan(4000);
    assertThat(ids(r).get(2)).isEqualTo("local-gw");
  }
}
