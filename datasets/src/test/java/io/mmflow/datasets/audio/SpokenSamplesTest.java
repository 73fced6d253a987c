package io.mmflow.datasets.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpokenSamplesTest {
  private static final Path COMMITTED =
      Path.of(System.getProperty("mmflow.repo.root", ".."))
          .resolve(SpokenSamples.DEFAULT_OUTPUT_DIR);

  @TempDir Path dir;

  @Test
  void committedSamplesAreTheListedSentences() throws Exception {
    assertThat(SpokenSamples.SAMPLES).hasSizeGreaterThanOrEqualTo(8);
    long total = 0;
    for (SpokenSamples.Sample s : SpokenSamples.SAMPLES) {
      Path wav = COMMITTED.resolve(s.name() + ".wav");
      assertThat(Files.readString(COMMITTED.resolve(s.name() + ".txt"), StandardCharsets.UTF_8))
          .isEqualTo(s.text() + "\n");
      assertWav(wav);
      total += Files.size(wav);
    }
    assertThat(total).isLessThan(1_500_000);
    assertThat(Files.readString(COMMITTED.resolve("README.md"))).contains("espeak-ng", "GPL");
  }

  @Test
  void generatesSamplesWhenEspeakIsInstalled() throws Exception {
    assumeTrue(espeakInstalled(), "espeak-ng is not installed");
    List<Path> written = SpokenSamples.generate(dir);
    assertThat(written).hasSize(SpokenSamples.SAMPLES.size());
    for (Path wav : written) {
      assertWav(wav);
      String name = wav.getFileName().toString().replace(".wav", ".txt");
      assertThat(dir.resolve(name)).exists();
    }
  }

  /** A mono 16-bit WAV of 1 to 8 seconds whose data is all there. */
  private static void assertWav(Path wav) throws Exception {
    try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
      AudioFormat f = in.getFormat();
      assertThat(f.getChannels()).isEqualTo(1);
      assertThat(f.getSampleSizeInBits()).isEqualTo(16);
      double seconds = in.getFrameLength() / f.getFrameRate();
      assertThat(seconds).as("%s", wav).isBetween(1.0, 8.0);
      assertThat(in.readAllBytes()).hasSize((int) in.getFrameLength() * f.getFrameSize());
    }
  }

  private static boolean espeakInstalled() {
    try {
      return new ProcessBuilder("espeak-ng", "--version").start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
