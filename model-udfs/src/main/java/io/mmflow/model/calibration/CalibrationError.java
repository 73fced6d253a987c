package io.mmflow.model.calibration;

/**
 * Expected calibration error (Naeini, Cooper, Hauskrecht, "Obtaining Well Calibrated Probabilities
 * Using Bayesian Binning", AAAI 2015; as used by Guo et al. 2017): predictions are grouped by their
 * confidence into equal-width bins over [0,1]; ECE is the mean over bins of |accuracy − mean
 * confidence|, weighted by the share of predictions in each bin.
 */
public final class CalibrationError {
  /** The bin count used in every figure mmflow reports. */
  public static final int DEFAULT_BINS = 10;

  private CalibrationError() {}

  /**
   * @param confidence the probability of the predicted class, per example
   * @param correct whether the prediction was right, per example
   */
  public static double expected(double[] confidence, boolean[] correct, int bins) {
    if (confidence.length != correct.length || confidence.length == 0) {
      throw new IllegalArgumentException("need matching, non-empty confidences and outcomes");
    }
    double[] confSum = new double[bins];
    int[] hits = new int[bins];
    int[] counts = new int[bins];
    for (int i = 0; i < confidence.length; i++) {
      double c = confidence[i];
      // (k/bins, (k+1)/bins]; a confidence of exactly 0 goes to the first bin
      int bin = Math.min(bins - 1, Math.max(0, (int) Math.ceil(c * bins) - 1));
      confSum[bin] += c;
      counts[bin]++;
      if (correct[i]) {
        hits[bin]++;
      }
    }
    double ece = 0;
    for (int b = 0; b < bins; b++) {
      if (counts[b] > 0) {
        ece +=
            (double) counts[b]
                / confidence.length
                * Math.abs((double) hits[b] / counts[b] - confSum[b] / counts[b]);
      }
    }
    return ece;
  }
}
