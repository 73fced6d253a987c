package io.mmflow.operators.fusion;

import static io.mmflow.operators.fusion.SentimentFusion.best;
import static io.mmflow.operators.fusion.SentimentFusion.clamp;
import static io.mmflow.operators.fusion.SentimentFusion.labelOrder;

import io.mmflow.core.model.Modality;
import io.mmflow.core.model.OverallSentiment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The four fusion strategies over per-modality mean label scores {@code p_m} and confidences {@code
 * c_m} (see {@link SentimentFusion}); {@code p} is never empty. A modality's vote {@code v_m} is
 * its best label ({@link SentimentFusion#best}).
 */
final class FusionStrategies {
  private FusionStrategies() {}

  /**
   * WEIGHTED_AVERAGE (with {@code w} = the configured modality weights) and CONFIDENCE_WEIGHTED
   * (with {@code w = c}). Over the modalities M with {@code w_m > 0} (all present ones, equally
   * weighted, when every weight is 0): {@code F(l) = sum_M w_m p_m(l) / sum_M w_m}; label = argmax
   * F, score = F(label), confidence = {@code sum_M w_m c_m [v_m = label] / sum_M w_m}.
   */
  static OverallSentiment weighted(
      Map<Modality, Map<String, Double>> p, Map<Modality, Double> c, Map<Modality, Double> w) {
    Map<Modality, Double> weights = new HashMap<>();
    p.keySet().forEach(m -> weights.put(m, w.getOrDefault(m, 0.0)));
    weights.values().removeIf(x -> x <= 0);
    if (weights.isEmpty()) {
      p.keySet().forEach(m -> weights.put(m, 1.0));
    }
    return combine(p, c, weights);
  }

  /**
   * MAJORITY_VOTE: each present modality votes {@code v_m}; the label with most votes wins, a tie
   * goes to the larger summed confidence of its voters, then to {@link
   * SentimentFusion#LABEL_ORDER}. Score = {@code mean_m p_m(label)}, confidence = {@code mean_m c_m
   * [v_m = label]}, both over all present modalities.
   */
  static OverallSentiment majorityVote(
      Map<Modality, Map<String, Double>> p, Map<Modality, Double> c) {
    Map<String, Integer> votes = new HashMap<>();
    Map<String, Double> backing = new HashMap<>();
    p.forEach(
        (m, scores) -> {
          String v = best(scores);
          votes.merge(v, 1, Integer::sum);
          backing.merge(v, c.get(m), Double::sum);
        });
    String label =
        votes.keySet().stream()
            .sorted(labelOrder())
            .reduce(
                (a, b) -> {
                  int byVotes = Integer.compare(votes.get(b), votes.get(a));
                  if (byVotes != 0) {
                    return byVotes > 0 ? b : a;
                  }
                  return backing.get(b) > backing.get(a) + 1e-12 ? b : a;
                })
            .orElseThrow();
    double score = 0;
    for (Map<String, Double> scores : p.values()) {
      score += scores.getOrDefault(label, 0.0);
    }
    return new OverallSentiment(
        label,
        clamp(score / p.size()),
        clamp(backing.get(label) / p.size()),
        new ArrayList<>(p.keySet()));
  }

  /**
   * HIERARCHICAL: the first present modality in {@code precedence} with {@code c_m >= threshold}
   * decides (when none reaches it, the first present one): label = {@code v_d}, score = {@code
   * p_d(label)}, confidence = {@code c_d}, contributing = [d].
   */
  static OverallSentiment hierarchical(
      Map<Modality, Map<String, Double>> p,
      Map<Modality, Double> c,
      List<Modality> precedence,
      double threshold) {
    Modality decider = null;
    for (Modality m : precedence) {
      if (p.containsKey(m)) {
        if (decider == null) {
          decider = m;
        }
        if (c.get(m) >= threshold) {
          decider = m;
          break;
        }
      }
    }
    Map<String, Double> scores = p.get(decider);
    String label = best(scores);
    return new OverallSentiment(
        label, clamp(scores.get(label)), clamp(c.get(decider)), List.of(decider));
  }

  private static OverallSentiment combine(
      Map<Modality, Map<String, Double>> p, Map<Modality, Double> c, Map<Modality, Double> w) {
    double total = 0;
    Map<String, Double> fused = new HashMap<>();
    for (Map.Entry<Modality, Double> e : w.entrySet()) {
      total += e.getValue();
      p.get(e.getKey()).forEach((l, s) -> fused.merge(l, e.getValue() * s, Double::sum));
    }
    String label = best(fused);
    double agreeing = 0;
    for (Map.Entry<Modality, Double> e : w.entrySet()) {
      if (label.equals(best(p.get(e.getKey())))) {
        agreeing += e.getValue() * c.get(e.getKey());
      }
    }
    List<Modality> contributing = p.keySet().stream().filter(w::containsKey).toList();
    return new OverallSentiment(
        label, clamp(fused.get(label) / total), clamp(agreeing / total), contributing);
  }
}
