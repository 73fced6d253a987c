package io.mmflow.model.calibration;

import java.io.Serializable;
import java.util.Locale;

/**
 * How a model's raw scores become probabilities in [0,1], as declared in the model registry.
 *
 * <ul>
 *   <li>{@code softmax}: softmax of the logits (temperature 1);
 *   <li>{@code temperature}: softmax of logits / T, with T fitted on a validation split by {@link
 *       TemperatureScaling} (Guo et al., "On Calibration of Modern Neural Networks", ICML 2017);
 *   <li>{@code sigmoid}: an independent logistic function per score (multi-label heads);
 *   <li>{@code platt}: sigmoid(a * s + b) per score (Platt, "Probabilistic Outputs for Support
 *       Vector Machines", 1999);
 *   <li>{@code none}: the scores are already probabilities and are only clamped to [0,1].
 * </ul>
 *
 * @param method one of the above
 * @param temperature T for {@code temperature}; 1 otherwise
 * @param a the slope for {@code platt}
 * @param b the offset for {@code platt}
 */
public record Calibration(Method method, double temperature, double a, double b)
    implements Serializable {

  /** The calibration methods. */
  public enum Method {
    SOFTMAX,
    TEMPERATURE,
    SIGMOID,
    PLATT,
    NONE;

    public static Method parse(String name) {
      try {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown calibration method '%s' (softmax, temperature, sigmoid, platt, none)"
                .formatted(name));
      }
    }
  }

  public static final Calibration SOFTMAX = new Calibration(Method.SOFTMAX, 1, 1, 0);

  public Calibration {
    if (method == null) {
      throw new IllegalArgumentException("calibration method is missing");
    }
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("calibration temperature must be > 0: " + temperature);
    }
  }

  public static Calibration temperature(double t) {
    return new Calibration(Method.TEMPERATURE, t, 1, 0);
  }

  /** Probabilities for one row of raw scores. */
  public double[] probabilities(float[] scores) {
    double[] p = new double[scores.length];
    switch (method) {
      case SOFTMAX, TEMPERATURE -> {
        double t = method == Method.SOFTMAX ? 1 : temperature;
        double max = Double.NEGATIVE_INFINITY;
        for (float s : scores) {
          max = Math.max(max, s / t);
        }
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
          p[i] = Math.exp(scores[i] / t - max);
          sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
          p[i] /= sum;
        }
      }
      case SIGMOID -> {
        for (int i = 0; i < scores.length; i++) {
          p[i] = 1 / (1 + Math.exp(-scores[i]));
        }
      }
      case PLATT -> {
        for (int i = 0; i < scores.length; i++) {
          p[i] = 1 / (1 + Math.exp(-(a * scores[i] + b)));
        }
      }
      case NONE -> {
        for (int i = 0; i < scores.length; i++) {
          p[i] = Math.min(1, Math.max(0, scores[i]));
        }
      }
    }
    return p;
  }

  /**
   * The name recorded in each result's {@code calibration} column, e.g. {@code
   * temperature(T=1.53)}.
   */
  public String describe() {
    return switch (method) {
      case TEMPERATURE -> "temperature(T=%.4f)".formatted(temperature);
      case PLATT -> "platt(a=%.4f,b=%.4f)".formatted(a, b);
      default -> method.name().toLowerCase(Locale.ROOT);
    };
  }
}
