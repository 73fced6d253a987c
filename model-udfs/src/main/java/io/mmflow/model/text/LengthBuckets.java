package io.mmflow.model.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a micro-batch of token sequences into sub-batches of similar length, so that padding does
 * not turn batching into a loss: a transformer's cost grows with {@code rows × longest row}, and
 * one long review padded into a batch of short tweets multiplies the batch's work.
 *
 * <p>Cost model: one session run costs {@code a + b × rows × length} (a fixed per-run overhead and
 * a per padded token cost). Sorted by length, the cheapest split into contiguous groups is found
 * exactly by dynamic programming over the sorted rows (O(n²) for n rows; n is the micro-batch size,
 * at most a few hundred). Only the ratio {@code a / b}, the overhead in padded tokens, matters; it
 * is estimated online by least squares from the measured run times, exponentially weighted so that
 * it follows the model and the machine, and starts from a guess until enough runs were seen.
 *
 * <p>Not thread-safe: one instance per model instance, as sessions are per task slot.
 */
public final class LengthBuckets {
  private static final double DECAY = 0.98;
  private static final int MIN_RUNS = 8;
  private static final double MIN_OVERHEAD = 1;
  private static final double MAX_OVERHEAD = 4096;

  private double overheadTokens;
  // exponentially weighted sums for the fit time = a + b × tokens
  private double n;
  private double sx;
  private double sy;
  private double sxx;
  private double sxy;
  private int runs;

  /**
   * @param initialOverheadTokens the per-run overhead, in padded tokens, until runs are measured
   */
  public LengthBuckets(double initialOverheadTokens) {
    this.overheadTokens = clamp(initialOverheadTokens);
  }

  /** The current estimate of the per-run overhead, in padded tokens. */
  public double overheadTokens() {
    return overheadTokens;
  }

  /**
   * Groups row indices into sub-batches: each group's rows have similar lengths, groups in
   * ascending length order, every index exactly once.
   */
  public List<int[]> split(int[] lengths) {
    int count = lengths.length;
    Integer[] order = new Integer[count];
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Integer.compare(lengths[x], lengths[y]));
    // best[i]: the cheapest cost of the first i sorted rows; cut[i]: where its last group starts
    double[] best = new double[count + 1];
    int[] cut = new int[count + 1];
    for (int i = 1; i <= count; i++) {
      best[i] = Double.MAX_VALUE;
      int longest = lengths[order[i - 1]];
      for (int j = 0; j < i; j++) {
        double cost = best[j] + overheadTokens + (double) (i - j) * longest;
        if (cost < best[i]) {
          best[i] = cost;
          cut[i] = j;
        }
      }
    }
    List<int[]> groups = new ArrayList<>();
    for (int i = count; i > 0; i = cut[i]) {
      int[] group = new int[i - cut[i]];
      for (int k = 0; k < group.length; k++) {
        group[k] = order[cut[i] + k];
      }
      groups.add(0, group);
    }
    return groups;
  }

  /** Records one run: {@code paddedTokens = rows × length} took {@code nanos}. */
  public void observe(long paddedTokens, long nanos) {
    n = n * DECAY + 1;
    sx = sx * DECAY + paddedTokens;
    sy = sy * DECAY + nanos;
    sxx = sxx * DECAY + (double) paddedTokens * paddedTokens;
    sxy = sxy * DECAY + (double) paddedTokens * nanos;
    runs++;
    double spread = n * sxx - sx * sx;
    if (runs < MIN_RUNS || spread <= 1e-9 * n * sxx) {
      return; // too few runs, or all of the same size: the fit says nothing yet
    }
    double b = (n * sxy - sx * sy) / spread;
    double a = (sy - b * sx) / n;
    if (b > 0) {
      overheadTokens = clamp(a / b);
    }
  }

  private static double clamp(double tokens) {
    return Math.max(MIN_OVERHEAD, Math.min(MAX_OVERHEAD, tokens));
  }
}
