package io.mmflow.operators.preprocess.audio;

import java.io.Serializable;
import java.util.Objects;

/**
 * Audio preprocessing for speech models: {@linkplain AudioDecoder decode} (WAV, FLAC, AIFF, AU;
 * duration limit) → {@linkplain Downmix downmix} to mono → {@linkplain Resampler resample} to the
 * target rate → {@linkplain VoiceActivity voice-activity} segments. Immutable and {@link
 * Serializable}, so it can be shipped inside Flink functions.
 *
 * @param targetRate sample rate of the prepared samples, in Hz (default {@value
 *     Resampler#DEFAULT_TARGET_RATE}, what wav2vec2-style models expect)
 * @param maxSeconds longest input accepted, in seconds (default {@value
 *     AudioDecoder#DEFAULT_MAX_SECONDS}); longer inputs fail with {@code INPUT_TOO_LARGE}
 * @param voiceActivity the segmentation settings
 */
public record AudioPreprocessing(int targetRate, double maxSeconds, VoiceActivity voiceActivity)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public AudioPreprocessing {
    if (targetRate < 1000 || targetRate > AudioDecoder.MAX_SAMPLE_RATE) {
      throw new IllegalArgumentException("targetRate must be in [1000, 768000]: " + targetRate);
    }
    if (!(maxSeconds > 0) || Double.isInfinite(maxSeconds)) {
      throw new IllegalArgumentException("maxSeconds must be positive and finite: " + maxSeconds);
    }
    Objects.requireNonNull(voiceActivity, "voiceActivity");
  }

  /** 16 kHz, 10 minutes, {@link VoiceActivity#defaults()}. */
  public static AudioPreprocessing defaults() {
    return new AudioPreprocessing(
        Resampler.DEFAULT_TARGET_RATE, AudioDecoder.DEFAULT_MAX_SECONDS, VoiceActivity.defaults());
  }

  /**
   * Decodes {@code bytes} and prepares them; throws {@link io.mmflow.core.error.MmflowException}
   * with the codes documented on {@link AudioDecoder} for bad input.
   */
  public PreparedAudio prepare(byte[] bytes) {
    return prepare(new AudioDecoder(maxSeconds).decode(bytes));
  }

  /** Prepares an already decoded clip (the duration limit is not applied again). */
  public PreparedAudio prepare(AudioClip clip) {
    float[] mono = Downmix.toMono(clip);
    float[] samples =
        clip.sampleRate() == targetRate
            ? mono.clone()
            : new Resampler(clip.sampleRate(), targetRate).process(mono);
    return new PreparedAudio(
        samples,
        targetRate,
        voiceActivity.segments(samples, targetRate),
        clip.sampleRate(),
        clip.channelCount());
  }
}
