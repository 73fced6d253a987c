package io.mmflow.operators.preprocess.audio;

/** Channels to mono by the arithmetic mean of the channels, sample by sample. */
public final class Downmix {
  private Downmix() {}

  /**
   * The mean of the clip's channels; a mono clip's own samples (not a copy). The mean, unlike the
   * sum, cannot clip, and keeps a signal that is identical on all channels unchanged.
   */
  public static float[] toMono(AudioClip clip) {
    float[][] ch = clip.channels();
    if (ch.length == 1) {
      return ch[0];
    }
    int n = clip.frameCount();
    float[] out = new float[n];
    for (float[] c : ch) {
      for (int i = 0; i < n; i++) {
        out[i] += c[i];
      }
    }
    float inv = 1f / ch.length;
    for (int i = 0; i < n; i++) {
      out[i] *= inv;
    }
    return out;
  }

  /** {@link #toMono(AudioClip)} as a one-channel clip at the same rate. */
  public static AudioClip mono(AudioClip clip) {
    return clip.channelCount() == 1 ? clip : AudioClip.mono(toMono(clip), clip.sampleRate());
  }
}
