package io.mmflow.operators.preprocess.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VoiceActivityTest {
  private static final int RATE = 16_000;

  /** Pieces of {seconds, tone amplitude} with a 440 Hz tone and gaussian noise of sigma 0.002. */
  static float[] pattern(double[][] pieces, long seed) {
    int n = 0;
    for (double[] p : pieces) {
      n += (int) Math.round(p[0] * RATE);
    }
    float[] x = new float[n];
    Random noise = new Random(seed);
    int i = 0;
    for (double[] p : pieces) {
      int len = (int) Math.round(p[0] * RATE);
      for (int k = 0; k < len; k++, i++) {
        x[i] =
            (float) (p[1] * Math.sin(2 * Math.PI * 440 * i / RATE) + 0.002 * noise.nextGaussian());
      }
    }
    return x;
  }

  @Test
  void findsTwoTonesBetweenSilences() {
    float[] x = pattern(new double[][] {{0.5, 0}, {1.0, 0.3}, {0.7, 0}, {0.8, 0.2}, {0.5, 0}}, 1);

    List<VoiceActivity.Segment> s = VoiceActivity.defaults().segments(x, RATE);

    assertThat(s).hasSize(2);
    assertThat(s.get(0).startSeconds()).isCloseTo(0.5, within(0.04));
    assertThat(s.get(0).endSeconds()).isCloseTo(1.5, within(0.04));
    assertThat(s.get(1).startSeconds()).isCloseTo(2.2, within(0.04));
    assertThat(s.get(1).endSeconds()).isCloseTo(3.0, within(0.04));
    assertThat(s.get(1).timeSpan().startMs()).isBetween(2160L, 2240L);
  }

  @Test
  void shortPausesMergeAndClicksAreDropped() {
    float[] x =
        pattern(
            new double[][] {
              {0.5, 0}, {0.4, 0.3}, {0.15, 0}, {0.4, 0.3}, {0.6, 0}, {0.04, 0.5}, {0.5, 0}
            },
            2);

    List<VoiceActivity.Segment> s = VoiceActivity.defaults().segments(x, RATE);

    assertThat(s).hasSize(1); // the 150 ms pause is bridged, the 40 ms click is not speech
    assertThat(s.get(0).startSeconds()).isCloseTo(0.5, within(0.04));
    assertThat(s.get(0).endSeconds()).isCloseTo(1.45, within(0.04));
  }

  @Test
  void paddingWidensSegmentsWithinTheClip() {
    float[] x = pattern(new double[][] {{0.05, 0}, {0.5, 0.3}, {0.5, 0}}, 3);
    VoiceActivity vad = VoiceActivity.defaults();
    VoiceActivity padded =
        new VoiceActivity(
            vad.frameSeconds(),
            vad.hopSeconds(),
            vad.floorPercentile(),
            vad.startDb(),
            vad.stopDb(),
            vad.silenceDbfs(),
            vad.minSpeechSeconds(),
            vad.minSilenceSeconds(),
            0.2);

    VoiceActivity.Segment s = padded.segments(x, RATE).get(0);
    assertThat(s.startSeconds()).isEqualTo(0.0); // clipped at the start
    assertThat(s.endSeconds()).isCloseTo(0.75, within(0.04));
  }

  @Test
  void silenceHasNoSegmentsAndSteadySoundIsOne() {
    float[] quiet = pattern(new double[][] {{2.0, 0}}, 4);
    assertThat(VoiceActivity.defaults().segments(quiet, RATE)).isEmpty();
    assertThat(VoiceActivity.defaults().segments(new float[0], RATE)).isEmpty();

    float[] tone = pattern(new double[][] {{2.0, 0.3}}, 5);
    List<VoiceActivity.Segment> s = VoiceActivity.defaults().segments(tone, RATE);
    assertThat(s).containsExactly(new VoiceActivity.Segment(0, 2.0));
  }

  @Test
  void adaptsToALouderBackground() {
    // Same pattern over noise 30 dB louder: the floor follows the noise, the tones are still found.
    float[] x = pattern(new double[][] {{0.6, 0}, {0.8, 0.6}, {0.6, 0}}, 6);
    Random r = new Random(9);
    for (int i = 0; i < x.length; i++) {
      x[i] += (float) (0.06 * r.nextGaussian());
    }
    List<VoiceActivity.Segment> s = VoiceActivity.defaults().segments(x, RATE);
    assertThat(s).hasSize(1);
    assertThat(s.get(0).startSeconds()).isCloseTo(0.6, within(0.04));
    assertThat(s.get(0).endSeconds()).isCloseTo(1.4, within(0.04));
  }
}
