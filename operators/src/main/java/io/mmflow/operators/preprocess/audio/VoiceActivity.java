package io.mmflow.operators.preprocess.audio;

import io.mmflow.core.model.TimeSpan;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Energy-based voice-activity detection: which parts of a mono signal hold sound well above its
 * background, as time segments.
 *
 * <p>Method (a short-time-energy detector with an adaptive floor and hysteresis, in the line of L.
 * R. Rabiner and M. R. Sambur, "An algorithm for determining the endpoints of isolated utterances",
 * Bell Syst. Tech. J. 54(2), 1975):
 *
 * <ol>
 *   <li>Frames of {@code frameSeconds} (30 ms) every {@code hopSeconds} (10 ms); the frame energy
 *       is {@code E = 10 log10(mean(x^2) + 1e-12)} dB relative to full scale.
 *   <li>The noise floor is the {@code floorPercentile} (10th) percentile of the frame energies: the
 *       level of the quietest tenth of the clip, which adapts to the recording's background.
 *   <li>A clip whose loudest frame is below {@code silenceDbfs} (-50 dBFS) has no speech. A clip
 *       whose energies span less than {@code startDb} (loudest minus floor) has no pauses to find:
 *       it is one segment when its floor is above {@code silenceDbfs} (sound throughout), else
 *       none.
 *   <li>Hysteresis: a segment starts at a frame whose energy reaches floor + {@code startDb} (10
 *       dB) and goes on while frames stay at or above floor + {@code stopDb} (6 dB), so that the
 *       decay of a word is not cut.
 *   <li>Segments separated by less than {@code minSilenceSeconds} (0.3 s, shorter than most pauses
 *       between phrases, longer than stop closures inside words) are merged; segments shorter than
 *       {@code minSpeechSeconds} (0.1 s: clicks) are dropped.
 *   <li>A segment runs from the center of its first frame to the center of its last (frame centers
 *       are within half a frame of the true onset for a sudden onset), widened by {@code
 *       paddingSeconds} (20 ms) on both sides and clipped to the clip; overlapping segments merge.
 * </ol>
 *
 * <p>Energy alone cannot tell speech from other loud sounds (music, a door); it finds where
 * something is said in recordings with a quieter background, which is what cutting audio for a
 * speech recognizer needs. Immutable and {@link Serializable}.
 */
public record VoiceActivity(
    double frameSeconds,
    double hopSeconds,
    double floorPercentile,
    double startDb,
    double stopDb,
    double silenceDbfs,
    double minSpeechSeconds,
    double minSilenceSeconds,
    double paddingSeconds)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A detected segment, in seconds from the start of the signal. */
  public record Segment(double startSeconds, double endSeconds) implements Serializable {
    private static final long serialVersionUID = 1L;

    public Segment {
      if (!(startSeconds >= 0 && endSeconds >= startSeconds)) {
        throw new IllegalArgumentException(
            "bad segment [" + startSeconds + ", " + endSeconds + "]");
      }
    }

    public double durationSeconds() {
      return endSeconds - startSeconds;
    }

    /** The segment in whole milliseconds (rounded), as the canonical records carry time. */
    public TimeSpan timeSpan() {
      return new TimeSpan(Math.round(startSeconds * 1000), Math.round(endSeconds * 1000));
    }
  }

  public VoiceActivity {
    check(frameSeconds > 0 && frameSeconds <= 1, "frameSeconds in (0, 1]", frameSeconds);
    check(hopSeconds > 0 && hopSeconds <= frameSeconds, "hopSeconds in (0, frame]", hopSeconds);
    check(
        floorPercentile >= 0 && floorPercentile < 100,
        "floorPercentile in [0, 100)",
        floorPercentile);
    check(startDb > 0, "startDb > 0", startDb);
    check(stopDb > 0 && stopDb <= startDb, "stopDb in (0, startDb]", stopDb);
    check(silenceDbfs < 0, "silenceDbfs < 0", silenceDbfs);
    check(minSpeechSeconds >= 0, "minSpeechSeconds >= 0", minSpeechSeconds);
    check(minSilenceSeconds >= 0, "minSilenceSeconds >= 0", minSilenceSeconds);
    check(paddingSeconds >= 0, "paddingSeconds >= 0", paddingSeconds);
  }

  /** The defaults given in the class comment. */
  public static VoiceActivity defaults() {
    return new VoiceActivity(0.030, 0.010, 10, 10, 6, -50, 0.10, 0.30, 0.02);
  }

  /** The segments of {@code samples} (mono, at {@code sampleRate} Hz), in time order. */
  public List<Segment> segments(float[] samples, int sampleRate) {
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sampleRate must be positive: " + sampleRate);
    }
    double duration = (double) samples.length / sampleRate;
    double[] energy = frameEnergies(samples, sampleRate);
    if (energy.length == 0) {
      return List.of();
    }
    double[] sorted = energy.clone();
    Arrays.sort(sorted);
    double floor = percentile(sorted, floorPercentile);
    double peak = sorted[sorted.length - 1];
    if (peak < silenceDbfs) {
      return List.of();
    }
    if (peak - floor < startDb) {
      return floor >= silenceDbfs ? List.of(new Segment(0, duration)) : List.of();
    }
    double start = Math.max(floor + startDb, silenceDbfs);
    double stop = Math.max(floor + stopDb, silenceDbfs);
    int hop = Math.max(1, (int) Math.round(hopSeconds * sampleRate));
    int frame = Math.max(hop, (int) Math.round(frameSeconds * sampleRate));

    // Runs of frames [first, last], by hysteresis; times are frame centers.
    List<double[]> runs = new ArrayList<>();
    int first = -1;
    for (int i = 0; i <= energy.length; i++) {
      boolean end = i == energy.length;
      if (first < 0) {
        if (!end && energy[i] >= start) {
          first = i;
        }
      } else if (end || energy[i] < stop) {
        double hopS = (double) hop / sampleRate;
        double centre = frame / 2.0 / sampleRate;
        runs.add(new double[] {first * hopS + centre, (i - 1) * hopS + centre, hopS});
        first = -1;
      }
    }
    // Merge across short pauses, then drop short runs.
    List<double[]> merged = new ArrayList<>();
    for (double[] r : runs) {
      double[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && r[0] - last[1] < minSilenceSeconds) {
        last[1] = r[1];
      } else {
        merged.add(r);
      }
    }
    List<Segment> out = new ArrayList<>();
    for (double[] r : merged) {
      if (r[1] - r[0] + r[2] < minSpeechSeconds) {
        continue;
      }
      double s = Math.max(0, r[0] - paddingSeconds);
      double e = Math.min(duration, r[1] + paddingSeconds);
      if (!out.isEmpty() && s <= out.get(out.size() - 1).endSeconds()) {
        Segment prev = out.remove(out.size() - 1);
        s = prev.startSeconds();
      }
      out.add(new Segment(s, Math.max(s, e)));
    }
    return List.copyOf(out);
  }

  /**
   * Frame energies in dBFS: frame {@code i} covers samples {@code [i * hop, i * hop + frame)}; the
   * last frame may be partial (its mean is over the samples it has). An empty signal has none.
   */
  double[] frameEnergies(float[] samples, int sampleRate) {
    int hop = Math.max(1, (int) Math.round(hopSeconds * sampleRate));
    int frame = Math.max(hop, (int) Math.round(frameSeconds * sampleRate));
    int n = samples.length;
    if (n == 0) {
      return new double[0];
    }
    int count = n <= frame ? 1 : 1 + (n - frame + hop - 1) / hop;
    double[] e = new double[count];
    // Running sums of squares: prefix[k] = sum of x^2 over [0, k).
    double[] prefix = new double[n + 1];
    for (int k = 0; k < n; k++) {
      prefix[k + 1] = prefix[k] + (double) samples[k] * samples[k];
    }
    for (int i = 0; i < count; i++) {
      int a = i * hop;
      int b = Math.min(n, a + frame);
      e[i] = 10 * Math.log10((prefix[b] - prefix[a]) / (b - a) + 1e-12);
    }
    return e;
  }

  /** Linear-interpolated percentile (0..100) of sorted values. */
  private static double percentile(double[] sorted, double pct) {
    double pos = pct / 100 * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }

  private static void check(boolean ok, String what, double value) {
    if (!ok) {
      throw new IllegalArgumentException("need " + what + ": " + value);
    }
  }
}
