package io.mmflow.operators.preprocess.audio;

import java.util.Objects;

/**
 * Decoded audio: one {@code float[]} per channel, samples nominally in [-1, 1] (full scale of the
 * source's sample format), all channels of the same length.
 *
 * <p>The arrays are exposed for speed and not copied; a record of arrays compares by identity.
 *
 * @param channels samples per channel, at least one channel
 * @param sampleRate samples per second per channel, positive
 */
public record AudioClip(float[][] channels, int sampleRate) {
  public AudioClip {
    Objects.requireNonNull(channels, "channels");
    if (channels.length == 0) {
      throw new IllegalArgumentException("a clip needs at least one channel");
    }
    for (float[] c : channels) {
      Objects.requireNonNull(c, "channel");
      if (c.length != channels[0].length) {
        throw new IllegalArgumentException(
            "channels differ in length: " + c.length + " != " + channels[0].length);
      }
    }
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sampleRate must be positive: " + sampleRate);
    }
  }

  /** A mono clip wrapping {@code samples}. */
  public static AudioClip mono(float[] samples, int sampleRate) {
    return new AudioClip(new float[][] {samples}, sampleRate);
  }

  public int channelCount() {
    return channels.length;
  }

  /** Samples per channel. */
  public int frameCount() {
    return channels[0].length;
  }

  public double durationSeconds() {
    return (double) frameCount() / sampleRate;
  }
}
