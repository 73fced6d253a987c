package io.mmflow.operators.metrics;

import java.util.HashMap;
import java.util.TreeMap;
import org.apache.flink.api.common.accumulators.Accumulator;

/** A Flink accumulator counting occurrences per key, e.g. dead letters per error code. */
public final class CountByKey implements Accumulator<String, HashMap<String, Long>> {
  private static final long serialVersionUID = 1L;

  private HashMap<String, Long> counts = new HashMap<>();

  @Override
  public void add(String key) {
    counts.merge(key, 1L, Long::sum);
  }

  @Override
  public HashMap<String, Long> getLocalValue() {
    return counts;
  }

  @Override
  public void resetLocal() {
    counts = new HashMap<>();
  }

  @Override
  public void merge(Accumulator<String, HashMap<String, Long>> other) {
    other.getLocalValue().forEach((k, v) -> counts.merge(k, v, Long::sum));
  }

  @Override
  public CountByKey clone() {
    CountByKey copy = new CountByKey();
    copy.counts = new HashMap<>(counts);
    return copy;
  }

  @Override
  public String toString() {
    return new TreeMap<>(counts).toString();
  }
}
