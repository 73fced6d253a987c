package io.mmflow.operators.preprocess.audio;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The result of {@link AudioPreprocessing#prepare(byte[])}: mono samples at the target rate and the
 * voice-activity segments found in them.
 *
 * @param samples mono samples at {@code sampleRate}, nominally in [-1, 1] (not copied)
 * @param sampleRate their rate, in Hz
 * @param segments voice-activity segments, in time order, in seconds from the start
 * @param sourceSampleRate the rate of the decoded input
 * @param sourceChannels the channel count of the decoded input
 */
public record PreparedAudio(
    float[] samples,
    int sampleRate,
    List<VoiceActivity.Segment> segments,
    int sourceSampleRate,
    int sourceChannels) {
  public PreparedAudio {
    Objects.requireNonNull(samples, "samples");
    segments = List.copyOf(segments);
  }

  public double durationSeconds() {
    return (double) samples.length / sampleRate;
  }

  /** The samples of one segment, e.g. to feed a recognizer segment by segment. */
  public float[] slice(VoiceActivity.Segment segment) {
    int from = (int) Math.min(samples.length, Math.round(segment.startSeconds() * sampleRate));
    int to = (int) Math.min(samples.length, Math.round(segment.endSeconds() * sampleRate));
    return Arrays.copyOfRange(samples, from, Math.max(from, to));
  }
}
