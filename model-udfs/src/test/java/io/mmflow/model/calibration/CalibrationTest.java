package io.mmflow.model.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CalibrationTest {
  @Test
  void temperatureFitRecoversTheTemperatureThatGeneratedTheLabels() {
    Random random = new Random(3);
    int n = 20_000;
    float[][] logits = new float[n][];
    int[] labels = new int[n];
    double trueT = 2.5;
    for (int i = 0; i < n; i++) {
      float margin = (float) (random.nextGaussian() * 6);
      logits[i] = new float[] {0, margin};
      double p1 = 1 / (1 + Math.exp(-margin / trueT));
      labels[i] = random.nextDouble() < p1 ? 1 : 0;
    }
    double fitted = TemperatureScaling.fit(logits, labels);
    assertThat(fitted).isCloseTo(trueT, within(0.15));
    assertThat(TemperatureScaling.nll(logits, labels, fitted))
        .isLessThan(TemperatureScaling.nll(logits, labels, 1.0));
  }

  @Test
  void expectedCalibrationErrorWeighsEachBinByItsShare() {
    // bin (0.8,0.9]: confidences 0.85 x2, one right -> |0.5-0.85| = 0.35, share 0.5
    // bin (0.9,1.0]: confidences 0.95 x2, both right -> |1-0.95| = 0.05, share 0.5
    double ece =
        CalibrationError.expected(
            new double[] {0.85, 0.85, 0.95, 0.95}, new boolean[] {true, false, true, true}, 10);
    assertThat(ece).isCloseTo(0.5 * 0.35 + 0.5 * 0.05, within(1e-12));
  }

  @Test
  void methodsMapScoresIntoTheUnitInterval() {
    float[] logits = {1f, 3f};
    double[] soft = Calibration.SOFTMAX.probabilities(logits);
    assertThat(soft[1]).isCloseTo(1 / (1 + Math.exp(-2)), within(1e-9));
    double[] warm = Calibration.temperature(2).probabilities(logits);
    assertThat(warm[1]).isCloseTo(1 / (1 + Math.exp(-1)), within(1e-9));
    assertThat(warm[0] + warm[1]).isCloseTo(1, within(1e-12));
    double[] platt =
        new Calibration(Calibration.Method.PLATT, 1, 2, -1).probabilities(new float[] {0.5f});
    assertThat(platt[0]).isCloseTo(0.5, within(1e-9));
    assertThat(Calibration.temperature(1.5).describe()).isEqualTo("temperature(T=1.5000)");
  }
}
