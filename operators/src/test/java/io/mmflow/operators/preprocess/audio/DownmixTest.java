package io.mmflow.operators.preprocess.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DownmixTest {
  @Test
  void stereoBecomesTheMeanOfItsChannels() {
    AudioClip stereo =
        new AudioClip(new float[][] {{0.5f, 1f, -1f, 0f}, {-0.25f, 1f, 1f, 0.5f}}, 44_100);
    AudioClip mono = Downmix.mono(stereo);
    assertThat(mono.channelCount()).isEqualTo(1);
    assertThat(mono.sampleRate()).isEqualTo(44_100);
    assertThat(mono.channels()[0]).containsExactly(0.125f, 1f, 0f, 0.25f);
  }

  @Test
  void oppositePhaseCancelsAndThreeChannelsAverage() {
    float[] x = AudioTestSignals.sine(1000, 0.5, 16_000, 0.01);
    float[] minus = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      minus[i] = -x[i];
    }
    assertThat(Downmix.toMono(new AudioClip(new float[][] {x, minus}, 16_000))).containsOnly(0f);
    float[] m = Downmix.toMono(new AudioClip(new float[][] {{0.3f}, {0.6f}, {0.9f}}, 8000));
    assertThat(m[0]).isCloseTo(0.6f, org.assertj.core.api.Assertions.within(1e-6f));
  }

  @Test
  void monoIsReturnedAsIs() {
    AudioClip mono = AudioClip.mono(new float[] {0.1f, 0.2f}, 8000);
    assertThat(Downmix.mono(mono)).isSameAs(mono);
  }
}
