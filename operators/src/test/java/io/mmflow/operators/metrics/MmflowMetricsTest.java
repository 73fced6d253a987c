package io.mmflow.operators.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/** mmflow's histograms appear in their group with their first value, never empty. */
class MmflowMetricsTest {
  /** A group that keeps what is registered in it, as a reporter would see it. */
  private static final class Recording extends UnregisteredMetricsGroup {
    final Map<String, Histogram> histograms = new HashMap<>();

    @Override
    public <H extends Histogram> H histogram(String name, H histogram) {
      histograms.put(name, histogram);
      return histogram;
    }
  }

  @Test
  void aHistogramIsRegisteredWithItsFirstValueOnce() {
    Recording group = new Recording();
    Histogram h = MmflowMetrics.histogram(group, MmflowMetrics.BATCH_SIZE);
    assertThat(group.histograms).isEmpty();
    assertThat(h.getCount()).isZero();

    h.update(4);
    h.update(8);
    assertThat(group.histograms).containsOnlyKeys(MmflowMetrics.BATCH_SIZE);
    Histogram exported = group.histograms.get(MmflowMetrics.BATCH_SIZE);
    assertThat(exported.getCount()).isEqualTo(2);
    assertThat(exported.getStatistics().getQuantile(0.5)).isBetween(4.0, 8.0);
    assertThat(h.getStatistics().getMax()).isEqualTo(8);
  }
}
