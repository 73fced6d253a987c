package io.mmflow.operators.fusion;

import static java.util.Objects.requireNonNull;

import io.mmflow.core.model.FusedResult;
import io.mmflow.core.model.FusionStatus;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.OverallSentiment;
import io.mmflow.core.model.SchemaVersion;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Fuses the sentiment results of one correlation id and window into a {@link FusedResult}, with the
 * strategy of {@link FusionSettings#strategy()}. Pure Java; {@link FusionWindow} calls it.
 *
 * <p>Per present modality m (one with a sentiment result, see {@link FusionTally#sentimentLabels}):
 * {@code p_m(l)} is the mean score of label l over m's results (a label a result lacks counts 0)
 * and {@code c_m} the mean of their confidences. The strategies are in {@link #sentiment(Map,
 * Map)}; {@link #consistency(Map)} and {@link #status} are the same for all.
 */
public final class SentimentFusion implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Tie order of labels: these first, in this order, then any other label alphabetically. */
  public static final List<String> LABEL_ORDER = List.of("negative", "positive", "neutral");

  private static final double EPS = 1e-12;

  private final FusionSettings settings;

  public SentimentFusion(FusionSettings settings) {
    this.settings = requireNonNull(settings, "settings is null");
  }

  public FusionSettings settings() {
    return settings;
  }

  /** Fuses {@code results} (all of {@code correlationId}), as {@link FusionTally#of} them. */
  public FusedResult fuse(
      String correlationId,
      Instant windowStart,
      Instant windowEnd,
      Iterable<ModalityResult> results,
      Instant fusedAt) {
    return fuse(correlationId, windowStart, windowEnd, FusionTally.of(results), fusedAt);
  }

  /** Fuses a window's tally ({@link FusionWindow#process}). */
  public FusedResult fuse(
      String correlationId,
      Instant windowStart,
      Instant windowEnd,
      FusionTally tally,
      Instant fusedAt) {
    Map<Modality, Map<String, Double>> p = new EnumMap<>(Modality.class);
    Map<Modality, Double> c = new EnumMap<>(Modality.class);
    Set<Modality> errored = EnumSet.noneOf(Modality.class);
    tally
        .modalities()
        .forEach(
            (m, t) -> {
              if (t.sentiments() > 0) {
                p.put(m, t.meanScores());
                c.put(m, t.meanConfidence());
              }
              if (t.errors() > 0) {
                errored.add(m);
              }
            });
    List<Modality> present = new ArrayList<>(p.keySet());
    Set<Modality> missing = EnumSet.noneOf(Modality.class);
    missing.addAll(settings.expectedModalities());
    missing.addAll(errored);
    missing.removeAll(present);
    return new FusedResult(
        correlationId,
        windowStart,
        windowEnd,
        present,
        List.copyOf(missing),
        p.isEmpty() ? null : sentiment(p, c),
        consistency(p),
        settings.strategy(),
        status(present, missing, errored),
        tally.resultCount(),
        fusedAt,
        SchemaVersion.CURRENT);
  }

  /**
   * ERROR when no modality gave a sentiment; PARTIAL_FAILURE when an expected modality gave none or
   * any result of the window was an error; SUCCESS otherwise.
   */
  static FusionStatus status(List<Modality> present, Set<Modality> missing, Set<Modality> errored) {
    if (present.isEmpty()) {
      return FusionStatus.ERROR;
    }
    return missing.isEmpty() && errored.isEmpty()
        ? FusionStatus.SUCCESS
        : FusionStatus.PARTIAL_FAILURE;
  }

  /** The strategy's overall sentiment; {@code p} is not empty. */
  OverallSentiment sentiment(Map<Modality, Map<String, Double>> p, Map<Modality, Double> c) {
    return switch (settings.strategy()) {
      case WEIGHTED_AVERAGE -> FusionStrategies.weighted(p, c, settings.weights());
      case CONFIDENCE_WEIGHTED -> FusionStrategies.weighted(p, c, c);
      case MAJORITY_VOTE -> FusionStrategies.majorityVote(p, c);
      case HIERARCHICAL ->
          FusionStrategies.hierarchical(
              p, c, settings.precedence(), settings.hierarchicalThreshold());
    };
  }

  /**
   * Cross-modal agreement: {@code 1 - mean over modality pairs of TV(q_a, q_b)}, where {@code q_m}
   * is {@code p_m} normalised to sum 1 over the window's labels (uniform when it sums to 0) and
   * {@code TV(q_a, q_b) = 1/2 * sum_l |q_a(l) - q_b(l)|}. Null with fewer than two modalities.
   */
  static Double consistency(Map<Modality, Map<String, Double>> p) {
    if (p.size() < 2) {
      return null;
    }
    Set<String> labels = labels(p);
    List<double[]> q = new ArrayList<>();
    for (Map<String, Double> scores : p.values()) {
      double[] v = new double[labels.size()];
      double sum = 0;
      int i = 0;
      for (String l : labels) {
        v[i] = scores.getOrDefault(l, 0.0);
        sum += v[i++];
      }
      for (i = 0; i < v.length; i++) {
        v[i] = sum <= 0 ? 1.0 / v.length : v[i] / sum;
      }
      q.add(v);
    }
    double tv = 0;
    int pairs = 0;
    for (int a = 0; a < q.size(); a++) {
      for (int b = a + 1; b < q.size(); b++) {
        double d = 0;
        for (int i = 0; i < labels.size(); i++) {
          d += Math.abs(q.get(a)[i] - q.get(b)[i]);
        }
        tv += d / 2;
        pairs++;
      }
    }
    return clamp(1 - tv / pairs);
  }

  /** Every label of the present modalities, in {@link #LABEL_ORDER}. */
  static Set<String> labels(Map<Modality, Map<String, Double>> p) {
    Set<String> labels = new TreeSet<>(labelOrder());
    p.values().forEach(s -> labels.addAll(s.keySet()));
    return labels;
  }

  /** {@link #LABEL_ORDER} first, then alphabetical. */
  static Comparator<String> labelOrder() {
    return Comparator.<String>comparingInt(
            l -> LABEL_ORDER.contains(l) ? LABEL_ORDER.indexOf(l) : LABEL_ORDER.size())
        .thenComparing(Comparator.naturalOrder());
  }

  /** The label with the largest score; equal scores (within 1e-12) go by {@link #labelOrder}. */
  static String best(Map<String, Double> scores) {
    String best = null;
    double top = Double.NEGATIVE_INFINITY;
    for (String l : scores.keySet().stream().sorted(labelOrder()).toList()) {
      if (scores.get(l) > top + EPS) {
        best = l;
        top = scores.get(l);
      }
    }
    return best;
  }

  static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }
}
