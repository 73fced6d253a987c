package io.mmflow.operators.metrics;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.ResultStatus;
import io.mmflow.core.model.Task;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;

/**
 * Passes the results on to the sinks and counts each in the metrics of its modality, task, provider
 * and model ({@link MmflowMetrics}): results, errors (and errors by code), the task's latency,
 * cache hits and money spent. Every result of every job passes here once per attempt, whatever
 * stage made it, so one place tells an operator what each model is doing.
 */
public final class ResultMetrics extends RichMapFunction<ModalityResult, ModalityResult> {
  /** The labels a result is counted under. */
  private record Labels(Modality modality, Task task, String provider, String model) {}

  /** One label set's metrics, registered at its first result. */
  private static final class Series {
    final MetricGroup group;
    final Counter results;
    final Counter errors;
    final Counter cacheHits;
    final Counter spend;
    final Histogram latency;
    final Map<ErrorCode, Counter> errorsByCode = new EnumMap<>(ErrorCode.class);

    /** Spend not yet counted: the counter holds whole micro-dollars, a result may cost less. */
    double spendRemainder;

    Series(MetricGroup group) {
      this.group = group;
      results = group.counter(MmflowMetrics.RESULTS);
      errors = group.counter(MmflowMetrics.RESULT_ERRORS);
      cacheHits = group.counter(MmflowMetrics.RESULT_CACHE_HITS);
      spend = group.counter(MmflowMetrics.RESULT_SPEND_MICRO_USD);
      latency = MmflowMetrics.histogram(group, MmflowMetrics.RESULT_LATENCY_MS);
    }
  }

  private transient MetricGroup metrics;
  private transient Map<Labels, Series> series;

  @Override
  public void open(OpenContext openContext) {
    metrics = MmflowMetrics.group(getRuntimeContext().getMetricGroup());
    series = new HashMap<>();
  }

  @Override
  public ModalityResult map(ModalityResult r) {
    Labels labels =
        new Labels(r.modality(), r.task(), r.provenance().provider(), r.provenance().modelId());
    Series s = series.computeIfAbsent(labels, this::register);
    s.results.inc();
    s.latency.update(r.timing().latencyMs());
    if (r.provenance().cacheHit()) {
      s.cacheHits.inc();
    }
    if (r.status() == ResultStatus.ERROR) {
      s.errors.inc();
      s.errorsByCode
          .computeIfAbsent(
              r.error().code(),
              code ->
                  s.group
                      .addGroup(MmflowMetrics.CODE, code.code())
                      .counter(MmflowMetrics.RESULT_ERRORS))
          .inc();
    }
    double usd = r.cost().usd();
    if (usd > 0) {
      s.spendRemainder += usd * 1e6;
      long whole = (long) s.spendRemainder;
      if (whole > 0) {
        s.spend.inc(whole);
        s.spendRemainder -= whole;
      }
    }
    return r;
  }

  private Series register(Labels labels) {
    return new Series(
        metrics
            .addGroup(MmflowMetrics.MODALITY, labels.modality().wireName())
            .addGroup(MmflowMetrics.TASK, labels.task().wireName())
            .addGroup(MmflowMetrics.PROVIDER, labels.provider())
            .addGroup(MmflowMetrics.MODEL, labels.model()));
  }
}
