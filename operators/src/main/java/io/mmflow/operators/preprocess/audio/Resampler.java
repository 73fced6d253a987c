package io.mmflow.operators.preprocess.audio;

/**
 * Sample-rate conversion by band-limited interpolation with a Kaiser-windowed sinc, after J. O.
 * Smith and P. Gossett, "A flexible sampling-rate conversion method", Proc. IEEE ICASSP 1984, pp.
 * 112-115, and J. O. Smith, "Digital Audio Resampling Home Page",
 * https://ccrma.stanford.edu/~jos/resample/ (the method behind {@code resample}, libsamplerate's
 * sinc converters and resampy).
 *
 * <p>Each output sample {@code y[m]} sits at input position {@code t = m * in / out} and is {@code
 * sum_k x[k] * s * h(s * (t - k))} with {@code s = min(1, out / in)} and {@code h(u) = r * sinc(r *
 * u) * w(u / W)}: an ideal low-pass whose cutoff is {@code r * min(in, out) / 2} ({@code r} =
 * {@value #ROLLOFF}), shortened by a Kaiser window {@code w} (beta {@value #KAISER_BETA}, about 86
 * dB of stop-band attenuation) that spans {@value #ZERO_CROSSINGS} zero crossings of the sinc on
 * each side ({@code W = ZERO_CROSSINGS / r}, in samples of the lower rate). The transition band is
 * about {@code 0.08 * min(in, out)} wide and centered on the cutoff, so it ends just below {@code
 * min(in, out) / 2}: when downsampling, everything that would alias is in the stop band; the pass
 * band is flat (within 0.01 dB) to about {@code 0.42 * min(in, out)}, 6.7 kHz at 16 kHz. Samples
 * before the start and after the end count as zeros; the filter is symmetric, so there is no delay.
 *
 * <p>The filter is tabulated once per rate pair. For {@code in / out = M / L} in lowest terms with
 * {@code L <=} {@value #MAX_PHASES} (44.1 kHz to 16 kHz: L = 160) the table holds the exact
 * coefficients of every one of the L phases (a polyphase filter); for other ratios it holds {@value
 * #MAX_PHASES} phases and each output interpolates linearly between the two nearest, as in Smith's
 * table-lookup method. The cost is about {@code 2 * W / s} multiply-adds per output sample (192 for
 * 44.1 kHz to 16 kHz, 70 when upsampling). Instances are immutable and thread-safe.
 */
public final class Resampler {
  /** The rate speech models expect, 16 kHz. */
  public static final int DEFAULT_TARGET_RATE = 16_000;

  /** Cutoff as a fraction of the lower Nyquist frequency. */
  public static final double ROLLOFF = 0.92;

  /** Zero crossings of the windowed sinc on each side of its center. */
  public static final int ZERO_CROSSINGS = 32;

  /** Kaiser window shape; {@code 0.1102 * (A - 8.7)} for an attenuation of A = 86 dB. */
  public static final double KAISER_BETA = 8.5;

  /** Most phases tabulated; ratios needing more interpolate between phases. */
  public static final int MAX_PHASES = 1024;

  private final int inputRate;
  private final int outputRate;
  private final long up; // L
  private final long down; // M
  private final int phases; // rows of the table minus one when interpolating
  private final boolean exact;
  private final int half; // K: taps j = -(K-1) .. K around floor(t)
  private final int taps; // 2K
  private final float[] table;

  /** A converter from {@code inputRate} to {@code outputRate}, both in Hz and positive. */
  public Resampler(int inputRate, int outputRate) {
    if (inputRate <= 0 || outputRate <= 0) {
      throw new IllegalArgumentException(
          "rates must be positive: " + inputRate + " -> " + outputRate);
    }
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    long g = gcd(inputRate, outputRate);
    this.up = outputRate / g;
    this.down = inputRate / g;
    this.exact = up <= MAX_PHASES;
    this.phases = exact ? (int) up : MAX_PHASES;
    double scale = Math.min(1.0, (double) outputRate / inputRate);
    double reach = ZERO_CROSSINGS / ROLLOFF / scale; // half-width in input samples
    this.half = (int) Math.ceil(reach) + 1;
    this.taps = 2 * half;
    int rows = exact ? phases : phases + 1;
    this.table = new float[rows * taps];
    double i0Beta = besselI0(KAISER_BETA);
    double width = ZERO_CROSSINGS / ROLLOFF;
    double[] row = new double[taps];
    for (int p = 0; p < rows; p++) {
      double f = (double) p / phases; // fractional position of the output between inputs
      double sum = 0;
      for (int t = 0; t < taps; t++) {
        int j = t - (half - 1);
        double u = scale * (f - j); // in samples of the lower rate
        double v = 0;
        if (Math.abs(u) < width) {
          double q = u / width;
          v =
              scale
                  * ROLLOFF
                  * sinc(ROLLOFF * u)
                  * besselI0(KAISER_BETA * Math.sqrt(1 - q * q))
                  / i0Beta;
        }
        row[t] = v;
        sum += v;
      }
      for (int t = 0; t < taps; t++) {
        table[p * taps + t] = (float) (row[t] / sum); // unit gain at DC for every phase
      }
    }
  }

  /** Converts {@code samples} from {@code inputRate} to {@code outputRate} (one-off use). */
  public static float[] resample(float[] samples, int inputRate, int outputRate) {
    return new Resampler(inputRate, outputRate).process(samples);
  }

  /** Output samples for {@code n} input samples: {@code round(n * outputRate / inputRate)}. */
  public static int outputLength(long n, int inputRate, int outputRate) {
    long g = gcd(inputRate, outputRate);
    long l = outputRate / g;
    long m = inputRate / g;
    return Math.toIntExact((n * l + m / 2) / m);
  }

  public int inputRate() {
    return inputRate;
  }

  public int outputRate() {
    return outputRate;
  }

  /**
   * Converts a whole signal; returns a new array of {@link #outputLength} samples (a copy when the
   * rates are equal).
   */
  public float[] process(float[] samples) {
    int n = samples.length;
    if (inputRate == outputRate) {
      return samples.clone();
    }
    int outLen = outputLength(n, inputRate, outputRate);
    float[] x = new float[n + 2 * half + 2];
    System.arraycopy(samples, 0, x, half, n);
    float[] y = new float[outLen];
    float[] h = table;
    int taps = this.taps;
    for (int m = 0; m < outLen; m++) {
      long num = m * down; // t = num / up
      int i = (int) (num / up);
      long r = num % up;
      int base = i + 1; // x index of tap 0: i - (K - 1) + K
      if (exact) {
        int row = (int) r * taps;
        float acc = 0;
        for (int t = 0; t < taps; t++) {
          acc += x[base + t] * h[row + t];
        }
        y[m] = acc;
      } else {
        double pos = (double) r * phases / up;
        int p = (int) pos;
        float a = (float) (pos - p);
        int row0 = p * taps;
        int row1 = row0 + taps;
        float acc0 = 0;
        float acc1 = 0;
        for (int t = 0; t < taps; t++) {
          float v = x[base + t];
          acc0 += v * h[row0 + t];
          acc1 += v * h[row1 + t];
        }
        y[m] = acc0 + a * (acc1 - acc0);
      }
    }
    return y;
  }

  private static double sinc(double x) {
    if (x == 0) {
      return 1;
    }
    double px = Math.PI * x;
    return Math.sin(px) / px;
  }

  /** Modified Bessel function of the first kind, order 0, by its power series. */
  static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    double q = x * x / 4;
    for (int k = 1; k < 200; k++) {
      term *= q / ((double) k * k);
      sum += term;
      if (term < 1e-17 * sum) {
        break;
      }
    }
    return sum;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
}
