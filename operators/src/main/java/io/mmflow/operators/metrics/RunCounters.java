package io.mmflow.operators.metrics;

import io.mmflow.core.error.ErrorCode;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Counts of a run, kept two ways: Flink accumulators (read back by the runner for the summary and
 * for live progress) and Flink metrics (for dashboards on a real cluster: group {@code mmflow},
 * named as the accumulator without its {@code mmflow.} and with {@code _} for {@code -}, e.g.
 * {@code items_read}; dead letters also by error code, {@code code_dead_letters}; see {@link
 * MmflowMetrics}). Accumulators count again after a restart, so the summary can over-count a
 * recovered run; the tables cannot.
 */
public final class RunCounters {
  public static final String ITEMS_READ = "mmflow.items-read";
  public static final String RESULTS = "mmflow.results";

  /** Items that produced their results (the rest are dead letters). */
  public static final String ITEMS_DONE = "mmflow.items-done";

  public static final String PAGES = "mmflow.pages";
  public static final String PAGES_OCR = "mmflow.pages-ocr";
  public static final String DEAD_LETTERS = "mmflow.dead-letters";
  public static final String DEAD_LETTERS_BY_CODE = "mmflow.dead-letters-by-code";

  /** Fused results emitted (a window that fires again for a late result counts again). */
  public static final String FUSED = "mmflow.fused";

  /** Results that arrived after their fusion window closed (kept, but not fused). */
  public static final String LATE_RESULTS = "mmflow.late-results";

  private final LongCounter accumulator;
  private final Counter metric;
  private final CountByKey byCode;

  /** The dead-letter counters by code, made at a code's first dead letter; null if not counted. */
  private final MetricGroup metrics;

  private final Map<ErrorCode, Counter> metricByCode;

  private RunCounters(
      LongCounter accumulator, Counter metric, CountByKey byCode, MetricGroup metrics) {
    this.accumulator = accumulator;
    this.metric = metric;
    this.byCode = byCode;
    this.metrics = metrics;
    this.metricByCode = byCode == null ? null : new EnumMap<>(ErrorCode.class);
  }

  /** The metric's name of counter {@code name}: {@code mmflow.items-read} is {@code items_read}. */
  static String metricName(String name) {
    return name.substring(name.indexOf('.') + 1).replace('-', '_');
  }

  /** A counter under {@code name}, registered on the operator's runtime context. */
  public static RunCounters counter(RuntimeContext context, String name) {
    return new RunCounters(
        longCounter(context, name),
        MmflowMetrics.group(context.getMetricGroup()).counter(metricName(name)),
        null,
        null);
  }

  /** The dead-letter counter: a total and a count per error code. */
  public static RunCounters deadLetters(RuntimeContext context) {
    CountByKey byCode =
        (CountByKey)
            context.<String, java.util.HashMap<String, Long>>getAccumulator(DEAD_LETTERS_BY_CODE);
    if (byCode == null) {
      byCode = new CountByKey();
      context.addAccumulator(DEAD_LETTERS_BY_CODE, byCode);
    }
    MetricGroup metrics = MmflowMetrics.group(context.getMetricGroup());
    return new RunCounters(
        longCounter(context, DEAD_LETTERS),
        metrics.counter(metricName(DEAD_LETTERS)),
        byCode,
        metrics);
  }

  private static LongCounter longCounter(RuntimeContext context, String name) {
    LongCounter c = (LongCounter) context.<Long, Long>getAccumulator(name);
    if (c == null) {
      c = new LongCounter();
      context.addAccumulator(name, c);
    }
    return c;
  }

  public void increment() {
    accumulator.add(1L);
    metric.inc();
  }

  public void increment(ErrorCode code) {
    increment();
    if (byCode != null) {
      byCode.add(code.code() + " " + code.name());
      metricByCode
          .computeIfAbsent(
              code,
              c -> metrics.addGroup(MmflowMetrics.CODE, c.code()).counter(metricName(DEAD_LETTERS)))
          .inc();
    }
  }
}
