package io.mmflow.operators.preprocess.audio;

import static io.mmflow.operators.preprocess.audio.AudioTestSignals.amplitudeAt;
import static io.mmflow.operators.preprocess.audio.AudioTestSignals.db;
import static io.mmflow.operators.preprocess.audio.AudioTestSignals.rms;
import static io.mmflow.operators.preprocess.audio.AudioTestSignals.sine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResamplerTest {
  private static final int OUT = 16_000;

  @ParameterizedTest
  @ValueSource(ints = {44_100, 48_000, 22_050, 8_000, 11_025, 32_000, 96_000, 16_001})
  void oneKilohertzStaysAtOneKilohertzWithItsAmplitude(int in) {
    float[] y = Resampler.resample(sine(1000, 0.5, in, 1.0), in, OUT);
    int from = OUT / 10;
    int to = y.length - OUT / 10;

    double peak = amplitudeAt(y, from, to, 1000, OUT);
    assertThat(db(peak / 0.5)).isCloseTo(0.0, within(1.0));
    assertThat(db(rms(y, from, to) * Math.sqrt(2) / 0.5)).isCloseTo(0.0, within(1.0));
    // Nothing else in the spectrum: neighbours and every 50 Hz bin up to Nyquist far lower.
    assertThat(db(amplitudeAt(y, from, to, 900, OUT) / peak)).isLessThan(-60);
    assertThat(db(amplitudeAt(y, from, to, 1100, OUT) / peak)).isLessThan(-60);
    for (int hz = 100; hz < OUT / 2; hz += 50) {
      if (Math.abs(hz - 1000) >= 50) {
        assertThat(amplitudeAt(y, from, to, hz, OUT)).as("%d Hz", hz).isLessThan(peak / 1000);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {44_100, 48_000, 22_050, 8_000, 16_001})
  void matchesTheSineSampledDirectlyAtTheTargetRate(int in) {
    // Band-limited interpolation of a low tone must reproduce it sample by sample, with no delay.
    float[] y = Resampler.resample(sine(1000, 0.5, in, 0.5), in, OUT);
    float[] expected = sine(1000, 0.5, OUT, 0.5);
    double maxError = 0;
    for (int i = 800; i < y.length - 800; i++) {
      maxError = Math.max(maxError, Math.abs(y[i] - expected[i]));
    }
    assertThat(maxError).isLessThan(1e-3);
  }

  @Test
  void twelveKilohertzAt48kIsRemovedNotAliasedTo4k() {
    float[] x = sine(12_000, 0.5, 48_000, 1.0);
    float[] y = Resampler.resample(x, 48_000, OUT);
    int from = OUT / 10;
    int to = y.length - OUT / 10;
    assertThat(db(rms(y, from, to) / rms(x, 4800, x.length - 4800))).isLessThan(-40);
    // 12 kHz would fold to 4 kHz at 16 kHz.
    assertThat(db(amplitudeAt(y, from, to, 4000, OUT) / 0.5)).isLessThan(-60);
  }

  @ParameterizedTest
  @ValueSource(ints = {8_500, 9_000, 10_000, 15_000, 20_000})
  void everythingAboveTheOutputNyquistIsAttenuatedFrom44k(int hz) {
    float[] x = sine(hz, 0.5, 44_100, 1.0);
    float[] y = Resampler.resample(x, 44_100, OUT);
    assertThat(db(rms(y, 1600, y.length - 1600) * Math.sqrt(2) / 0.5)).isLessThan(-40);
  }

  @Test
  void passBandIsFlatUpTo6kHz() {
    for (int hz : new int[] {100, 3000, 6000}) {
      float[] y = Resampler.resample(sine(hz, 0.5, 48_000, 0.5), 48_000, OUT);
      assertThat(db(amplitudeAt(y, 1600, y.length - 1600, hz, OUT) / 0.5))
          .as("%d Hz", hz)
          .isCloseTo(0.0, within(0.1));
    }
  }

  @Test
  void outputLengthIsTheRoundedRatio() {
    int[] rates = {8_000, 11_025, 16_000, 22_050, 44_100, 48_000, 16_001};
    int[] lengths = {0, 1, 2, 7, 441, 1000, 44_099, 48_001};
    for (int in : rates) {
      for (int n : lengths) {
        long expected = Math.round((double) n * OUT / in);
        int len = Resampler.resample(new float[n], in, OUT).length;
        assertThat(len)
            .as("%d samples at %d Hz", n, in)
            .isBetween((int) expected - 1, (int) expected + 1);
        assertThat(len).isEqualTo(Resampler.outputLength(n, in, OUT));
      }
    }
  }

  @Test
  void keepsConstantLevelAwayFromTheEdges() {
    float[] x = new float[44_100];
    java.util.Arrays.fill(x, 0.25f);
    float[] y = Resampler.resample(x, 44_100, OUT);
    for (int i = 100; i < y.length - 100; i++) {
      assertThat(y[i]).isCloseTo(0.25f, within(1e-4f));
    }
  }

  @Test
  void sameRateIsACopy() {
    float[] x = sine(440, 0.5, OUT, 0.1);
    float[] y = Resampler.resample(x, OUT, OUT);
    assertThat(y).isEqualTo(x).isNotSameAs(x);
  }
}
