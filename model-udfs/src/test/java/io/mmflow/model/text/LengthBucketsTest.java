package io.mmflow.model.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LengthBucketsTest {
  @Test
  void cheapOverheadSplitsLongFromShortAndKeepsEveryRowOnce() {
    LengthBuckets buckets = new LengthBuckets(4);
    int[] lengths = {12, 120, 10, 11, 118, 9};
    List<int[]> groups = buckets.split(lengths);
    // short rows together, long rows together: padding a short row to 120 costs far more than a run
    assertThat(groups).hasSize(2);
    assertThat(groups.get(0)).containsExactlyInAnyOrder(0, 2, 3, 5);
    assertThat(groups.get(1)).containsExactlyInAnyOrder(1, 4);
    assertThat(groups.stream().flatMapToInt(Arrays::stream).sorted().toArray())
        .containsExactly(0, 1, 2, 3, 4, 5);
  }

  @Test
  void expensiveRunsKeepTheBatchWhole() {
    LengthBuckets buckets = new LengthBuckets(1000);
    List<int[]> groups = buckets.split(new int[] {12, 120, 10, 11, 118, 9});
    assertThat(groups).hasSize(1);
    assertThat(groups.get(0)).containsExactly(5, 2, 3, 0, 4, 1); // ascending length
  }

  @Test
  void splitIsTheCheapestUnderTheCostModel() {
    LengthBuckets buckets = new LengthBuckets(20);
    int[] lengths = {5, 6, 30, 31, 32, 60};
    // brute force over the 2^5 ways to cut the sorted rows
    int[] sorted = lengths.clone();
    Arrays.sort(sorted);
    double bestBrute = Double.MAX_VALUE;
    for (int mask = 0; mask < 1 << (sorted.length - 1); mask++) {
      double cost = 0;
      int start = 0;
      for (int i = 0; i < sorted.length; i++) {
        if (i == sorted.length - 1 || (mask & (1 << i)) != 0) {
          cost += 20 + (double) (i - start + 1) * sorted[i];
          start = i + 1;
        }
      }
      bestBrute = Math.min(bestBrute, cost);
    }
    double cost = 0;
    for (int[] g : buckets.split(lengths)) {
      cost += 20 + (double) g.length * Arrays.stream(g).map(i -> lengths[i]).max().orElseThrow();
    }
    assertThat(cost).isEqualTo(bestBrute);
  }

  @Test
  void overheadIsLearnedFromRunTimes() {
    LengthBuckets buckets = new LengthBuckets(32);
    // runs that cost 50 µs + 2 µs per padded token: the overhead is 25 tokens
    for (int i = 0; i < 200; i++) {
      long tokens = 16 + (i * 37L) % 900;
      buckets.observe(tokens, 50_000 + 2_000 * tokens);
    }
    assertThat(buckets.overheadTokens()).isCloseTo(25, within(0.01));
  }

  @Test
  void runsOfOneSizeLeaveTheGuess() {
    LengthBuckets buckets = new LengthBuckets(32);
    for (int i = 0; i < 50; i++) {
      buckets.observe(100, 1_000_000);
    }
    assertThat(buckets.overheadTokens()).isEqualTo(32);
  }
}
