package io.mmflow.operators.preprocess.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import org.junit.jupiter.api.Test;

class AudioPreprocessingTest {
  private static final Path SPOKEN =
      Path.of(System.getProperty("mmflow.repo.root", "..")).resolve("datasets/audio");

  @Test
  void stereoWavAt44kBecomesMono16kWithSegments() {
    // left: tone from 0.5 s to 1.5 s; right: silent; 2 s at 44.1 kHz
    int rate = 44_100;
    int n = 2 * rate;
    int[][] s = new int[2][n];
    for (int i = (int) (0.5 * rate); i < (int) (1.5 * rate); i++) {
      s[0][i] = (int) (16_000 * Math.sin(2 * Math.PI * 300 * i / rate));
    }
    byte[] wav =
        AudioTestSignals.write(
            AudioTestSignals.pcm(s, 16, false),
            new AudioFormat(rate, 16, 2, true, false),
            AudioFileFormat.Type.WAVE);

    PreparedAudio p = AudioPreprocessing.defaults().prepare(wav);

    assertThat(p.sampleRate()).isEqualTo(16_000);
    assertThat(p.samples()).hasSize(32_000);
    assertThat(p.durationSeconds()).isEqualTo(2.0);
    assertThat(p.sourceSampleRate()).isEqualTo(44_100);
    assertThat(p.sourceChannels()).isEqualTo(2);
    // mono = mean of the channels: half the left amplitude
    double amp = AudioTestSignals.amplitudeAt(p.samples(), 9_600, 22_400, 300, 16_000);
    assertThat(amp).isCloseTo(16_000 / 32_768.0 / 2, org.assertj.core.api.Assertions.within(0.005));
    assertThat(p.segments()).hasSize(1);
    assertThat(p.segments().get(0).startSeconds()).isBetween(0.46, 0.54);
    assertThat(p.segments().get(0).endSeconds()).isBetween(1.46, 1.54);
    assertThat(p.slice(p.segments().get(0)).length).isBetween(15_000, 17_000);
  }

  @Test
  void durationLimitApplies() {
    byte[] wav =
        AudioTestSignals.write(
            AudioTestSignals.pcm(new int[1][16_000 * 3], 16, false),
            new AudioFormat(16_000, 16, 1, true, false),
            AudioFileFormat.Type.WAVE);
    AudioPreprocessing twoSeconds = new AudioPreprocessing(16_000, 2.0, VoiceActivity.defaults());
    assertThatThrownBy(() -> twoSeconds.prepare(wav))
        .isInstanceOf(MmflowException.class)
        .extracting(e -> ((MmflowException) e).code())
        .isEqualTo(ErrorCode.INPUT_TOO_LARGE);
  }

  @Test
  void speechOfTheEspeakSamplesIsCovered() throws Exception {
    for (String name : List.of("delivery-praise", "rude-staff", "meeting-time")) {
      PreparedAudio p =
          AudioPreprocessing.defaults().prepare(Files.readAllBytes(SPOKEN.resolve(name + ".wav")));
      float[] x = p.samples();
      // Reference extent of the speech: first and last sample above 2% of full scale.
      int first = 0;
      while (Math.abs(x[first]) < 0.02f) {
        first++;
      }
      int last = x.length - 1;
      while (Math.abs(x[last]) < 0.02f) {
        last--;
      }
      double speechStart = first / 16_000.0;
      double speechEnd = last / 16_000.0;
      List<VoiceActivity.Segment> segments = p.segments();

      assertThat(segments).as(name).isNotEmpty();
      assertThat(segments.get(0).startSeconds()).as(name).isLessThanOrEqualTo(speechStart + 0.05);
      assertThat(segments.get(segments.size() - 1).endSeconds())
          .as(name)
          .isGreaterThanOrEqualTo(speechEnd - 0.05);
      double covered = 0;
      for (VoiceActivity.Segment s : segments) {
        covered +=
            Math.max(
                0, Math.min(s.endSeconds(), speechEnd) - Math.max(s.startSeconds(), speechStart));
      }
      assertThat(covered / (speechEnd - speechStart)).as(name).isGreaterThan(0.8);
      // and the leading/trailing silence is not speech
      assertThat(segments.get(0).startSeconds()).isGreaterThan(speechStart - 0.1);
    }
  }

  @Test
  void speechAfterASecondOfSilenceStartsAfterIt() throws Exception {
    PreparedAudio p =
        AudioPreprocessing.defaults()
            .prepare(Files.readAllBytes(SPOKEN.resolve("order-status.wav")));
    float[] x = new float[p.samples().length + 32_000];
    System.arraycopy(p.samples(), 0, x, 16_000, p.samples().length);

    List<VoiceActivity.Segment> s = VoiceActivity.defaults().segments(x, 16_000);

    assertThat(s).isNotEmpty();
    assertThat(s.get(0).startSeconds()).isBetween(0.9, 1.05);
    assertThat(s.get(s.size() - 1).endSeconds()).isBetween(3.0, 3.8);
  }
}
