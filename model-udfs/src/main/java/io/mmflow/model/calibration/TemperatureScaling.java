package io.mmflow.model.calibration;

/**
 * Fits the temperature T of {@link Calibration.Method#TEMPERATURE} on a validation split by
 * minimizing the negative log-likelihood of the true labels under softmax(logits / T) (Guo et al.,
 * ICML 2017, section 4.2).
 *
 * <p>The NLL is a smooth function of log T with one minimum in practice; it is minimized by a
 * golden-section search over log T in [-5, 5] (T from 0.007 to 148) to a tolerance of 1e-7.
 */
public final class TemperatureScaling {
  private static final double GOLDEN = (Math.sqrt(5) - 1) / 2;

  private TemperatureScaling() {}

  /**
   * @param logits one row of raw scores per example
   * @param labels the index of the true class per example
   * @return the temperature that minimizes the mean NLL
   */
  public static double fit(float[][] logits, int[] labels) {
    if (logits.length == 0 || logits.length != labels.length) {
      throw new IllegalArgumentException(
          "need as many labels as rows of logits, and at least one: %d vs %d"
              .formatted(logits.length, labels.length));
    }
    double lo = -5;
    double hi = 5;
    double x1 = hi - GOLDEN * (hi - lo);
    double x2 = lo + GOLDEN * (hi - lo);
    double f1 = nll(logits, labels, Math.exp(x1));
    double f2 = nll(logits, labels, Math.exp(x2));
    while (hi - lo > 1e-7) {
      if (f1 < f2) {
        hi = x2;
        x2 = x1;
        f2 = f1;
        x1 = hi - GOLDEN * (hi - lo);
        f1 = nll(logits, labels, Math.exp(x1));
      } else {
        lo = x1;
        x1 = x2;
        f1 = f2;
        x2 = lo + GOLDEN * (hi - lo);
        f2 = nll(logits, labels, Math.exp(x2));
      }
    }
    return Math.exp((lo + hi) / 2);
  }

  /** Mean negative log-likelihood of the labels under softmax(logits / t). */
  public static double nll(float[][] logits, int[] labels, double t) {
    double total = 0;
    for (int i = 0; i < logits.length; i++) {
      float[] row = logits[i];
      double max = Double.NEGATIVE_INFINITY;
      for (float s : row) {
        max = Math.max(max, s / t);
      }
      double sum = 0;
      for (float s : row) {
        sum += Math.exp(s / t - max);
      }
      total -= row[labels[i]] / t - max - Math.log(sum);
    }
    return total / logits.length;
  }
}
