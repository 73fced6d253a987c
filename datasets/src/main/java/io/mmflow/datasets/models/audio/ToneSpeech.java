package io.mmflow.datasets.models.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders text as "speech" that {@link ToneCtcModelBuilder}'s model transcribes: each character a
 * pure tone of {@value #TONE_SECONDS} s at {@link ToneCtcModelBuilder#frequency its frequency} (a
 * space is the word delimiter's tone), with {@value #FADE_SECONDS} s raised-cosine fades, followed
 * by {@value #GAP_SECONDS} s of silence so that a doubled letter is two tones; {@value
 * #EDGE_SECONDS} s of silence before and after. Phrases may be separated by longer pauses, which a
 * voice-activity detector cuts into segments.
 *
 * <p>Deterministic ({@link StrictMath}): the same text and rate give the same samples anywhere.
 */
public final class ToneSpeech {
  public static final double TONE_SECONDS = 0.08;
  public static final double GAP_SECONDS = 0.05;
  public static final double FADE_SECONDS = 0.005;
  public static final double EDGE_SECONDS = 0.25;
  public static final double AMPLITUDE = 0.5;

  /**
   * Where a word was put.
   *
   * @param text the word
   * @param startSeconds start of its first tone
   * @param endSeconds end of its last tone
   */
  public record Word(String text, double startSeconds, double endSeconds) {}

  /**
   * Rendered speech.
   *
   * @param samples mono samples in [-1, 1] (not copied)
   * @param sampleRate their rate, in Hz
   * @param text the normalized text, phrases joined by single spaces
   * @param words the words with their times
   */
  public record Speech(float[] samples, int sampleRate, String text, List<Word> words) {
    public Speech {
      words = List.copyOf(words);
    }

    public double durationSeconds() {
      return (double) samples.length / sampleRate;
    }

    /** A 16-bit PCM RIFF WAV file holding the samples in each of {@code channels} channels. */
    public byte[] toWav(int channels) {
      int dataBytes = samples.length * channels * 2;
      ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
      b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataBytes);
      b.put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16);
      b.putShort((short) 1).putShort((short) channels).putInt(sampleRate);
      b.putInt(sampleRate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16);
      b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataBytes);
      for (float s : samples) {
        short q = (short) Math.round(Math.max(-1, Math.min(1, s)) * Short.MAX_VALUE);
        for (int c = 0; c < channels; c++) {
          b.putShort(q);
        }
      }
      return b.array();
    }
  }

  private ToneSpeech() {}

  /**
   * Lower case, runs of whitespace as one space, trimmed; a character without a tone is an {@link
   * IllegalArgumentException}.
   */
  public static String normalize(String text) {
    String t = text.toLowerCase(Locale.ROOT).strip().replaceAll("\\s+", " ");
    for (char c : t.toCharArray()) {
      ToneCtcModelBuilder.frequency(c);
    }
    return t;
  }

  /** Renders one phrase at {@code sampleRate}. */
  public static Speech render(String text, int sampleRate) {
    return render(List.of(text), 0, sampleRate);
  }

  /**
   * Renders phrases separated by {@code pauseSeconds} of silence (beside the tones' own gaps); the
   * words of a phrase are separated by the delimiter's tone, phrases only by the pause.
   */
  public static Speech render(List<String> phrases, double pauseSeconds, int sampleRate) {
    StringBuilder chars = new StringBuilder();
    List<Double> starts = new ArrayList<>();
    List<Word> words = new ArrayList<>();
    double t = EDGE_SECONDS;
    for (int p = 0; p < phrases.size(); p++) {
      t += p > 0 ? pauseSeconds : 0;
      String[] phraseWords = normalize(phrases.get(p)).split(" ");
      for (int w = 0; w < phraseWords.length; w++) {
        String word = w > 0 ? " " + phraseWords[w] : phraseWords[w];
        double start = t;
        for (char c : word.toCharArray()) {
          chars.append(c);
          starts.add(t);
          t += TONE_SECONDS + GAP_SECONDS;
          start = c == ' ' ? t : start;
        }
        if (!phraseWords[w].isEmpty()) {
          words.add(new Word(phraseWords[w], start, t - GAP_SECONDS));
        }
      }
    }
    int n = (int) Math.round((t - GAP_SECONDS + EDGE_SECONDS) * sampleRate);
    float[] samples = new float[n];
    for (int i = 0; i < chars.length(); i++) {
      tone(samples, sampleRate, starts.get(i), ToneCtcModelBuilder.frequency(chars.charAt(i)));
    }
    String text = String.join(" ", words.stream().map(Word::text).toList());
    return new Speech(samples, sampleRate, text, words);
  }

  /** Adds one faded tone starting at {@code startSeconds}. */
  private static void tone(float[] out, int rate, double startSeconds, double hz) {
    int from = (int) Math.round(startSeconds * rate);
    int length = (int) Math.round(TONE_SECONDS * rate);
    int fade = (int) Math.round(FADE_SECONDS * rate);
    for (int k = 0; k < length && from + k < out.length; k++) {
      double gain = 1;
      int edge = Math.min(k, length - 1 - k);
      if (edge < fade) {
        gain = 0.5 - 0.5 * StrictMath.cos(StrictMath.PI * edge / fade);
      }
      out[from + k] +=
          (float) (AMPLITUDE * gain * StrictMath.sin(2 * StrictMath.PI * hz * k / rate));
    }
  }
}
