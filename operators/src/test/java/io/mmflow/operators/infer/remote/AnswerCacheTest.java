package io.mmflow.operators.infer.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.core.util.Vectors;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AnswerCacheTest {
  private static float[] unit(float... v) {
    return Vectors.unitLength(v);
  }

  @Test
  void exactKeysChangeWithEveryPartAndHitsAreMarked() {
    AnswerCache<String> cache = new AnswerCache<>(100, Duration.ofHours(1), 0.95, 100);
    String key = AnswerCache.key("abc", "sentiment", "gpt-small", "1", "prompt v1");
    assertThat(AnswerCache.key("abc", "sentiment", "gpt-small", "2", "prompt v1"))
        .isNotEqualTo(key);
    assertThat(AnswerCache.key("abc", "sentiment", "gpt-small", "1", "prompt v2"))
        .isNotEqualTo(key);
    assertThat(AnswerCache.key("ab", "csentiment", "gpt-small", "1", "prompt v1"))
        .isNotEqualTo(key);
    cache.put(key, "sentiment/gpt-small", unit(1, 0, 0), "positive");
    assertThat(cache.find(key, "sentiment/gpt-small", null))
        .hasValueSatisfying(f -> assertThat(f.hit()).isEqualTo(AnswerCache.Hit.EXACT));
  }

  @Test
  void semanticHitsNeedTheThresholdAndTheSameScope() {
    AnswerCache<String> cache = new AnswerCache<>(100, Duration.ofHours(1), 0.95, 2);
    cache.put("k1", "sentiment/m", unit(1, 0.1f, 0), "positive");
    assertThat(cache.find("other", "sentiment/m", unit(1, 0.12f, 0)))
        .hasValueSatisfying(
            f -> {
              assertThat(f.hit()).isEqualTo(AnswerCache.Hit.SEMANTIC);
              assertThat(f.answer()).isEqualTo("positive");
              assertThat(f.similarity()).isGreaterThan(0.99);
            });
    assertThat(cache.find("other", "sentiment/m", unit(0, 1, 0))).isEmpty(); // not similar
    assertThat(cache.find("other", "summary/m", unit(1, 0.1f, 0))).isEmpty(); // another scope
    cache.put("k2", "sentiment/m", unit(0, 0, 1), "a");
    cache.put("k3", "sentiment/m", unit(0, 1, 1), "b");
    // only 2 vectors kept: the oldest went
    assertThat(cache.find("other", "sentiment/m", unit(1, 0.1f, 0))).isEmpty();
    assertThat(cache.find("k1", "sentiment/m", null)).isPresent(); // the exact entry stays
  }
}
