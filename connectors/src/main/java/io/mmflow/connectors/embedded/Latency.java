package io.mmflow.connectors.embedded;

import java.util.Random;

/**
 * How long the {@link LoopbackOpenAiServer} waits before it answers: fixed, uniform between two
 * bounds, or log-normal around a median (the long tail of real providers).
 */
public sealed interface Latency {
  /** No delay. */
  Latency NONE = new Fixed(0);

  /** One delay in milliseconds, drawn from {@code random}. */
  long sampleMillis(Random random);

  /** Always {@code millis}. */
  static Latency fixed(long millis) {
    return new Fixed(millis);
  }

  /** Uniform between {@code minMillis} and {@code maxMillis}, both included. */
  static Latency uniform(long minMillis, long maxMillis) {
    return new Uniform(minMillis, maxMillis);
  }

  /** Log-normal with this median and {@code sigma} (of the underlying normal), capped at 60 s. */
  static Latency logNormal(double medianMillis, double sigma) {
    return new LogNormal(medianMillis, sigma);
  }

  /** A fixed delay. */
  record Fixed(long millis) implements Latency {
    public Fixed {
      if (millis < 0) {
        throw new IllegalArgumentException("latency must be >= 0 ms");
      }
    }

    @Override
    public long sampleMillis(Random random) {
      return millis;
    }
  }

  /** A uniform delay. */
  record Uniform(long minMillis, long maxMillis) implements Latency {
    public Uniform {
      if (minMillis < 0 || maxMillis < minMillis) {
        throw new IllegalArgumentException(
            "need 0 <= min <= max, got " + minMillis + ".." + maxMillis);
      }
    }

    @Override
    public long sampleMillis(Random random) {
      return minMillis + (long) (random.nextDouble() * (maxMillis - minMillis + 1));
    }
  }

  /** A log-normal delay. */
  record LogNormal(double medianMillis, double sigma) implements Latency {
    public LogNormal {
      if (medianMillis <= 0 || sigma < 0) {
        throw new IllegalArgumentException("need median > 0 and sigma >= 0");
      }
    }

    @Override
    public long sampleMillis(Random random) {
      double v = medianMillis * Math.exp(sigma * random.nextGaussian());
      return (long) Math.min(60_000, v);
    }
  }
}
