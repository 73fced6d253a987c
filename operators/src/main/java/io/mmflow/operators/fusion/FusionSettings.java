package io.mmflow.operators.fusion;

import static java.util.Objects.requireNonNull;

import io.mmflow.core.config.FusionOptions;
import io.mmflow.core.config.FusionOptions.WindowKind;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.FusionStrategy;
import io.mmflow.core.model.Modality;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Settings of the fusion stage, read from {@link FusionOptions}. Invalid values throw {@link
 * MmflowException} with {@link ErrorCode#CONFIGURATION_INVALID}.
 *
 * @param strategy how modality sentiments are combined
 * @param window session or tumbling event-time windows
 * @param gap session gap
 * @param size tumbling window size
 * @param outOfOrderness how far the watermark trails the largest event time
 * @param allowedLateness how long a fired window still accepts late results
 * @param expectedModalities modalities every window should hold
 * @param weights weighted_average weight per modality (every modality has an entry, maybe 0)
 * @param precedence hierarchical order, every modality exactly once, most trusted first
 * @param hierarchicalThreshold confidence a modality needs to decide under hierarchical
 */
public record FusionSettings(
    FusionStrategy strategy,
    WindowKind window,
    Duration gap,
    Duration size,
    Duration outOfOrderness,
    Duration allowedLateness,
    List<Modality> expectedModalities,
    Map<Modality, Double> weights,
    List<Modality> precedence,
    double hierarchicalThreshold)
    implements Serializable {

  public FusionSettings {
    requireNonNull(strategy, "strategy is null");
    requireNonNull(window, "window is null");
    positive(gap, FusionOptions.GAP.key());
    positive(size, FusionOptions.SIZE.key());
    notNegative(outOfOrderness, FusionOptions.OUT_OF_ORDERNESS.key());
    notNegative(allowedLateness, FusionOptions.ALLOWED_LATENESS.key());
    expectedModalities = List.copyOf(new LinkedHashSet<>(expectedModalities));
    Map<Modality, Double> all = new EnumMap<>(Modality.class);
    for (Modality m : Modality.values()) {
      double w = weights.getOrDefault(m, 0.0);
      if (!(w >= 0) || Double.isInfinite(w)) {
        throw invalid(FusionOptions.WEIGHTS.key() + ": weight of " + m.wireName() + " is " + w);
      }
      all.put(m, w);
    }
    if (all.values().stream().noneMatch(w -> w > 0)) {
      throw invalid(FusionOptions.WEIGHTS.key() + ": at least one weight must be > 0");
    }
    weights = Map.copyOf(all);
    Set<Modality> order = new LinkedHashSet<>(precedence);
    order.addAll(List.of(Modality.values()));
    precedence = List.copyOf(order);
    if (!(hierarchicalThreshold >= 0 && hierarchicalThreshold <= 1)) {
      throw invalid(
          FusionOptions.HIERARCHICAL_THRESHOLD.key()
              + " must be in [0,1], but was: "
              + hierarchicalThreshold);
    }
  }

  /** The defaults of every {@link FusionOptions} option. */
  public static FusionSettings defaults() {
    return from(new Configuration());
  }

  /** Reads and checks the {@link FusionOptions} in {@code config}. */
  public static FusionSettings from(ReadableConfig config) {
    return new FusionSettings(
        config.get(FusionOptions.STRATEGY),
        config.get(FusionOptions.WINDOW),
        config.get(FusionOptions.GAP),
        config.get(FusionOptions.SIZE),
        config.get(FusionOptions.OUT_OF_ORDERNESS),
        config.get(FusionOptions.ALLOWED_LATENESS),
        modalities(
            config.get(FusionOptions.EXPECTED_MODALITIES), FusionOptions.EXPECTED_MODALITIES.key()),
        weights(config.get(FusionOptions.WEIGHTS)),
        modalities(config.get(FusionOptions.PRECEDENCE), FusionOptions.PRECEDENCE.key()),
        config.get(FusionOptions.HIERARCHICAL_THRESHOLD));
  }

  /** A copy with another strategy. */
  public FusionSettings withStrategy(FusionStrategy s) {
    return new FusionSettings(
        s,
        window,
        gap,
        size,
        outOfOrderness,
        allowedLateness,
        expectedModalities,
        weights,
        precedence,
        hierarchicalThreshold);
  }

  /** Parses {@code "text, audio"}; blank gives none; an unknown or repeated name is refused. */
  static List<Modality> modalities(String value, String key) {
    List<Modality> out = new ArrayList<>();
    for (String name : split(value)) {
      Modality m = modality(name, key);
      if (out.contains(m)) {
        throw invalid(key + ": " + m.wireName() + " is listed twice");
      }
      out.add(m);
    }
    return out;
  }

  /** Parses {@code "text:0.4, audio:0.3"}. */
  static Map<Modality, Double> weights(String value) {
    String key = FusionOptions.WEIGHTS.key();
    Map<Modality, Double> out = new EnumMap<>(Modality.class);
    for (String pair : split(value)) {
      int colon = pair.indexOf(':');
      if (colon < 0) {
        throw invalid(key + ": expected modality:weight, but was '" + pair + "'");
      }
      Modality m = modality(pair.substring(0, colon).trim(), key);
      double w;
      try {
        w = Double.parseDouble(pair.substring(colon + 1).trim());
      } catch (NumberFormatException e) {
        throw invalid(key + ": weight of " + m.wireName() + " is not a number: '" + pair + "'");
      }
      if (out.put(m, w) != null) {
        throw invalid(key + ": " + m.wireName() + " is listed twice");
      }
    }
    return out;
  }

  private static List<String> split(String value) {
    List<String> parts = new ArrayList<>();
    for (String s : (value == null ? "" : value).split(",")) {
      if (!s.isBlank()) {
        parts.add(s.trim());
      }
    }
    return parts;
  }

  private static Modality modality(String name, String key) {
    try {
      return Modality.fromWireName(name);
    } catch (IllegalArgumentException e) {
      throw invalid(key + ": " + e.getMessage());
    }
  }

  private static void positive(Duration d, String key) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw invalid(key + " must be > 0, but was: " + d);
    }
  }

  private static void notNegative(Duration d, String key) {
    if (d == null || d.isNegative()) {
      throw invalid(key + " must be >= 0, but was: " + d);
    }
  }

  private static MmflowException invalid(String message) {
    return new MmflowException(ErrorCode.CONFIGURATION_INVALID, message);
  }
}
