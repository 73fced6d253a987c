package io.mmflow.operators.fusion;

import io.mmflow.core.model.Label;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.ResultStatus;
import io.mmflow.core.model.Task;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What fusion keeps of a window's results: per modality, sums of sentiment label scores and
 * confidences and a count of errors, so window state stays small however many results arrive.
 * Immutable; {@link #add} and {@link #merge} return new tallies. In state it is written by {@link
 * FusionTallySerializer}.
 *
 * @param modalities per modality tally, only for modalities that sent a result
 * @param resultCount every result added, sentiment or not
 */
@TypeInfo(FusionTallySerializer.Factory.class)
public record FusionTally(Map<Modality, ModalityTally> modalities, int resultCount) {
  /** The sentiment label vocabulary; results of other tasks count only with these labels. */
  public static final Set<String> SENTIMENT_LABELS = Set.of("positive", "negative", "neutral");

  public static final FusionTally EMPTY = new FusionTally(Map.of(), 0);

  public FusionTally {
    modalities = modalities == null ? Map.of() : Map.copyOf(modalities);
  }

  /**
   * One modality's sums.
   *
   * @param labelSums per label (lower case), the sum of its score over the sentiment results
   * @param sentiments how many sentiment results were added
   * @param confidenceSum sum of their confidences ({@link #confidenceOf})
   * @param errors how many error results were added
   */
  public record ModalityTally(
      Map<String, Double> labelSums, int sentiments, double confidenceSum, int errors) {
    public ModalityTally {
      labelSums = labelSums == null ? Map.of() : Map.copyOf(labelSums);
    }

    /** Mean score per label over the modality's sentiment results (a label a result lacks: 0). */
    public Map<String, Double> meanScores() {
      Map<String, Double> out = new HashMap<>();
      labelSums.forEach((l, s) -> out.put(l, sentiments == 0 ? 0 : s / sentiments));
      return out;
    }

    /** Mean confidence of the modality's sentiment results, 0 when it has none. */
    public double meanConfidence() {
      return sentiments == 0 ? 0 : Math.min(1, confidenceSum / sentiments);
    }

    ModalityTally plus(ModalityTally o) {
      Map<String, Double> sums = new HashMap<>(labelSums);
      o.labelSums.forEach((l, s) -> sums.merge(l, s, Double::sum));
      return new ModalityTally(
          sums, sentiments + o.sentiments, confidenceSum + o.confidenceSum, errors + o.errors);
    }
  }

  /** Collects {@code results}. */
  public static FusionTally of(Iterable<ModalityResult> results) {
    FusionTally t = EMPTY;
    for (ModalityResult r : results) {
      t = t.add(r);
    }
    return t;
  }

  /** This tally plus one result ({@code AggregateFunction#add}). */
  public FusionTally add(ModalityResult r) {
    Map<String, Double> labels = sentimentLabels(r);
    ModalityTally one;
    if (r.status() == ResultStatus.ERROR) {
      one = new ModalityTally(Map.of(), 0, 0, 1);
    } else if (!labels.isEmpty()) {
      one = new ModalityTally(labels, 1, confidenceOf(r, labels), 0);
    } else {
      one = new ModalityTally(Map.of(), 0, 0, 0);
    }
    return merge(new FusionTally(Map.of(r.modality(), one), 1));
  }

  /** Both tallies together ({@code AggregateFunction#merge}, for merging session windows). */
  public FusionTally merge(FusionTally o) {
    Map<Modality, ModalityTally> all = new EnumMap<>(Modality.class);
    all.putAll(modalities);
    o.modalities.forEach((m, t) -> all.merge(m, t, ModalityTally::plus));
    return new FusionTally(all, resultCount + o.resultCount);
  }

  /**
   * The sentiment labels of a result, lower-cased, or none. A non-error result of task {@code
   * sentiment} keeps all its labels; a result of another task keeps only labels named positive,
   * negative or neutral. A label given twice keeps its larger score.
   */
  public static Map<String, Double> sentimentLabels(ModalityResult r) {
    Map<String, Double> out = new HashMap<>();
    if (r.status() == ResultStatus.ERROR) {
      return out;
    }
    for (Label l : r.labels()) {
      String name = l.label().trim().toLowerCase(Locale.ROOT);
      if (r.task() == Task.SENTIMENT || SENTIMENT_LABELS.contains(name)) {
        out.merge(name, l.score(), Math::max);
      }
    }
    return out;
  }

  /** The result's calibrated confidence, or its best sentiment label's score when it has none. */
  static double confidenceOf(ModalityResult r, Map<String, Double> labels) {
    if (r.confidence() != null) {
      return r.confidence();
    }
    return labels.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
  }
}
