package io.mmflow.datasets.audio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The generator of the spoken samples in {@code datasets/audio}: short English sentences spoken by
 * the espeak-ng speech synthesizer (Debian package {@code espeak-ng}), each written as {@code
 * <name>.wav} (espeak-ng's output as is: RIFF WAV, 16-bit PCM, mono, 22050 Hz) with its transcript
 * {@code <name>.txt} (UTF-8, the sentence and a newline), plus a {@code README.md}.
 *
 * <p>The recordings are synthetic, so the transcript is exact; the text is original. Output depends
 * on the espeak-ng version (recorded in the README), not on the machine.
 */
public final class SpokenSamples {
  /** Default output directory, relative to the repository root. */
  public static final String DEFAULT_OUTPUT_DIR = "datasets/audio";

  /** Speaking rate passed to espeak-ng, in words per minute (its default is 175). */
  public static final int SPEED_WPM = 150;

  /** The espeak-ng voice. */
  public static final String VOICE = "en";

  /** Suffix of the transcript written beside each recording. */
  public static final String TRANSCRIPT_SUFFIX = ".txt";

  /**
   * A sample: file name without extension, sentence, and sentiment ({@code positive}, {@code
   * negative} or {@code neutral}) for sentiment tasks.
   */
  public record Sample(String name, String text, String sentiment) {}

  /** The samples, in a fixed order. */
  public static final List<Sample> SAMPLES =
      List.of(
          new Sample(
              "delivery-praise",
              "the delivery was fast and the support team was wonderful",
              "positive"),
          new Sample(
              "broken-screen",
              "my new phone arrived with a broken screen and nobody answered",
              "negative"),
          new Sample(
              "hotel-stay", "the hotel room was clean quiet and very comfortable", "positive"),
          new Sample(
              "late-refund",
              "i have waited three weeks for a refund and i am still waiting",
              "negative"),
          new Sample(
              "meeting-time", "the meeting has been moved to ten o'clock on thursday", "neutral"),
          new Sample(
              "great-value", "this is the best coffee machine i have ever owned", "positive"),
          new Sample("rude-staff", "the staff were rude and the food was cold", "negative"),
          new Sample("order-status", "your order will be shipped tomorrow morning", "neutral"));

  private SpokenSamples() {}

  /**
   * Speaks every sample into {@code outputDir} and writes the README.
   *
   * @return the recordings written, in the order of {@link #SAMPLES}
   * @throws IllegalStateException when espeak-ng is not installed
   */
  public static List<Path> generate(Path outputDir) {
    String version = espeakVersion();
    try {
      Files.createDirectories(outputDir);
      List<Path> written = new ArrayList<>();
      for (Sample s : SAMPLES) {
        Path wav = outputDir.resolve(s.name() + ".wav");
        run(
            "espeak-ng",
            "-v",
            VOICE,
            "-s",
            Integer.toString(SPEED_WPM),
            "-w",
            wav.toString(),
            s.text());
        Files.writeString(
            outputDir.resolve(s.name() + TRANSCRIPT_SUFFIX),
            s.text() + "\n",
            StandardCharsets.UTF_8);
        written.add(wav);
      }
      Files.writeString(outputDir.resolve("README.md"), readme(version), StandardCharsets.UTF_8);
      return List.copyOf(written);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write spoken samples to " + outputDir, e);
    }
  }

  /**
   * espeak-ng's version line without its data path, e.g. {@code eSpeak NG text-to-speech: 1.51};
   * fails with the install command when espeak-ng is missing.
   */
  static String espeakVersion() {
    String line = run("espeak-ng", "--version").lines().findFirst().orElse("espeak-ng");
    int data = line.indexOf("Data at");
    return (data < 0 ? line : line.substring(0, data)).trim();
  }

  private static String run(String... command) {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "espeak-ng is not installed; install it with: apt-get install espeak-ng", e);
    }
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("espeak-ng did not finish: " + String.join(" ", command));
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "espeak-ng failed (exit " + p.exitValue() + "): " + out.trim());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running espeak-ng", e);
    }
  }

  private static String readme(String version) {
    StringBuilder table = new StringBuilder();
    for (Sample s : SAMPLES) {
      table.append(String.format("| `%s.wav` | %s | %s |%n", s.name(), s.sentiment(), s.text()));
    }
    return """
        # Spoken samples

        Short English sentences spoken by a speech synthesizer, for the audio preprocessing and
        speech-to-text tests and demos. Made by
        [`SpokenSamples`](../src/main/java/io/mmflow/datasets/audio/SpokenSamples.java) with
        `espeak-ng -v %s -s %d -w <name>.wav "<text>"` (%s, from Debian's `espeak-ng` package).

        Each `<name>.wav` (RIFF WAV, 16-bit PCM, mono, 22050 Hz, as espeak-ng writes it) has its
        exact transcript in `<name>.txt` (UTF-8, lower case, no punctuation, one line).

        | file | sentiment | transcript |
        |---|---|---|
        %s
        ## Licence

        espeak-ng is free software under the GNU GPL version 3 or later; that licence covers the
        program, which is not part of this repository. The recordings are the program's generated
        output from original text written for this project, and are distributed under the
        project's own licence.

        ## Regenerating

        Needs `espeak-ng` (`apt-get install espeak-ng`). From the repository root:

        ```sh
        mvn -q -pl datasets -am -Dspotless.skip -DskipTests compile
        java -cp datasets/target/classes io.mmflow.datasets.audio.SpokenSamples datasets/audio
        ```

        Another espeak-ng version may produce slightly different audio; the transcripts do not
        change.
        """
        .formatted(VOICE, SPEED_WPM, version, table);
  }

  /** Arguments: the output directory (default {@value #DEFAULT_OUTPUT_DIR}). */
  public static void main(String[] args) {
    Path out = Paths.get(args.length > 0 ? args[0] : DEFAULT_OUTPUT_DIR);
    List<Path> written = generate(out);
    System.out.println("wrote " + written.size() + " spoken samples to " + out);
  }
}
