package io.mmflow.operators.infer.remote;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter for MiniCluster tests in this JVM: it keeps every counter registered,
 * also after its job ended, by its full identifier. Configure with {@code
 * metrics.reporter.memory.factory.class: io.mmflow.operators.infer.remote.MemoryReporter$Factory};
 * Flink finds the factory through META-INF/services (test resources).
 */
public final class MemoryReporter implements MetricReporter {
  private static final Map<String, Counter> COUNTERS = new ConcurrentHashMap<>();

  /** Creates the reporter (Flink loads reporters through factories). */
  public static final class Factory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
      return new MemoryReporter();
    }
  }

  /** Forgets the counters of earlier jobs. */
  static void clear() {
    COUNTERS.clear();
  }

  /** The sum of the counters whose identifier ends with {@code suffix} (e.g. ".breaker_opened"). */
  static long sum(String suffix) {
    return COUNTERS.entrySet().stream()
        .filter(e -> e.getKey().endsWith(suffix))
        .mapToLong(e -> e.getValue().getCount())
        .sum();
  }

  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {}

  @Override
  public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
    if (metric instanceof Counter c) {
      COUNTERS.put(group.getMetricIdentifier(name), c);
    }
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
    // kept: the test reads them after the job ended
  }
}
