package io.mmflow.operators.metrics;

import java.util.List;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.HistogramStatistics;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The one declaration of mmflow's metric names and labels. Every mmflow metric sits in the group
 * {@value #GROUP} under its operator; a label is a Flink key-value group, which Flink's Prometheus
 * reporter turns into a Prometheus label (and whose key joins the metric's name). So a counter
 * {@code results} under the labels modality, task, provider and model is scraped as
 *
 * <pre>
 * flink_taskmanager_job_task_operator_mmflow_modality_task_provider_model_results{modality="text",
 *   task="sentiment",provider="onnxruntime",model="sentiment-en",job_name=...,operator_name=...}
 * </pre>
 *
 * <p>Flink adds its own labels (job, task, operator, subtask, host). {@link #CATALOG} lists every
 * name with its labels, as docs/operations.md documents them and the scrape test checks them; a
 * renamed metric breaks dashboards, so change a name only with the catalog, the docs and
 * deploy/grafana together.
 */
public final class MmflowMetrics {
  /** The group every mmflow metric sits in, under its operator. */
  public static final String GROUP = "mmflow";

  /** The prefix of every mmflow metric as Flink's Prometheus reporter names it. */
  public static final String PROMETHEUS_PREFIX = "flink_taskmanager_job_task_operator_mmflow_";

  // run counters (RunCounters): no labels of their own
  public static final String ITEMS_READ = "items_read";
  public static final String ITEMS_DONE = "items_done";
  public static final String RESULTS = "results";
  public static final String PAGES = "pages";
  public static final String PAGES_OCR = "pages_ocr";
  public static final String DEAD_LETTERS = "dead_letters";
  public static final String FUSED = "fused";
  public static final String LATE_RESULTS = "late_results";

  // label keys
  public static final String CODE = "code";
  public static final String MODALITY = "modality";
  public static final String TASK = "task";
  public static final String PROVIDER = "provider";
  public static final String MODEL = "model";
  public static final String CANDIDATE = "candidate";

  // results as written (ResultMetrics), by modality, task, provider and model
  public static final String RESULT_ERRORS = "errors";
  public static final String RESULT_LATENCY_MS = "latency_ms";
  public static final String RESULT_CACHE_HITS = "cache_hits";
  public static final String RESULT_SPEND_MICRO_USD = "spend_micro_usd";

  // micro-batches of local models (MicroBatchOperator), per operator
  public static final String BATCH_SIZE = "batch_size";
  public static final String BATCH_LATENCY_MS = "batch_latency_ms";
  public static final String RECORDS_INFERRED = "records_inferred";
  public static final String RECORDS_FAILED = "records_failed";

  /** A metric as scraped: its Prometheus name and what it counts. */
  public record Documented(String name, String type, String meaning) {}

  private static final String RESULT_LABELS = "modality_task_provider_model_";
  private static final String REMOTE = "remote_task_";
  private static final String CANDIDATE_LABELS = "remote_task_candidate_";

  /**
   * Every metric mmflow registers, by its Prometheus name without {@link #PROMETHEUS_PREFIX}; the
   * histograms as Flink exports them (a summary: quantiles, {@code _count}).
   */
  public static final List<Documented> CATALOG =
      List.of(
          new Documented(ITEMS_READ, "counter", "inputs read (items, feed events)"),
          new Documented(ITEMS_DONE, "counter", "items that produced their results"),
          new Documented(RESULTS, "counter", "results made by the operator"),
          new Documented(PAGES, "counter", "document pages read"),
          new Documented(PAGES_OCR, "counter", "pages that went through OCR"),
          new Documented(DEAD_LETTERS, "counter", "dead letters made by the operator"),
          new Documented(CODE + "_" + DEAD_LETTERS, "counter", "dead letters by error code"),
          new Documented(FUSED, "counter", "fused views emitted"),
          new Documented(LATE_RESULTS, "counter", "results after their fusion window closed"),
          new Documented(RESULT_LABELS + RESULTS, "counter", "results written"),
          new Documented(RESULT_LABELS + RESULT_ERRORS, "counter", "error results written"),
          new Documented(
              RESULT_LABELS + CODE + "_" + RESULT_ERRORS, "counter", "error results by code"),
          new Documented(
              RESULT_LABELS + RESULT_LATENCY_MS, "summary", "a task's processing time (ms)"),
          new Documented(
              RESULT_LABELS + RESULT_CACHE_HITS, "counter", "results answered from a cache"),
          new Documented(
              RESULT_LABELS + RESULT_SPEND_MICRO_USD, "counter", "money spent, micro-USD"),
          new Documented(BATCH_SIZE, "summary", "records per local-model batch"),
          new Documented(BATCH_LATENCY_MS, "summary", "a local-model batch's run time (ms)"),
          new Documented(RECORDS_INFERRED, "counter", "records a local model answered"),
          new Documented(RECORDS_FAILED, "counter", "records a local model failed on"),
          new Documented(REMOTE + "calls", "counter", "provider calls sent"),
          new Documented(REMOTE + "failures", "counter", "provider calls that failed"),
          new Documented(REMOTE + "retries", "counter", "provider calls retried"),
          new Documented(REMOTE + "cache_hits", "counter", "answers from any cache"),
          new Documented(
              REMOTE + "semantic_cache_hits", "counter", "answers from the semantic cache"),
          new Documented(
              REMOTE + "stored_cache_hits", "counter", "answers from the PostgreSQL answer table"),
          new Documented(REMOTE + "stored_cache_write_failures", "counter", "answers not stored"),
          new Documented(REMOTE + "recovered_answers", "counter", "answers of a killed attempt"),
          new Documented(
              REMOTE + "semantic_cache_embedding_failures", "counter", "embeddings that failed"),
          new Documented(REMOTE + "budget_stops", "counter", "records refused by the budget"),
          new Documented(REMOTE + "rate_limit_waits", "counter", "records held by a rate limit"),
          new Documented(REMOTE + "in_flight", "gauge", "calls sent, not yet answered"),
          new Documented(REMOTE + "spend_micro_usd", "gauge", "the stage's spend, micro-USD"),
          new Documented(
              CANDIDATE_LABELS + "breaker_state", "gauge", "0 closed, 1 open, 2 half-open"),
          new Documented(CANDIDATE_LABELS + "breaker_opened", "counter", "breaker openings"),
          new Documented(CANDIDATE_LABELS + "breaker_closed", "counter", "breaker closings"));

  private MmflowMetrics() {}

  /** mmflow's group under {@code operator}. */
  public static MetricGroup group(MetricGroup operator) {
    return operator.addGroup(GROUP);
  }

  /**
   * A histogram of the last 1,024 values named {@code name} in {@code group}, registered with its
   * first value: a stage that has measured nothing (the feeds job's sentiment of extracted texts in
   * a feed of texts) exports no quantiles, where an empty histogram's would be NaN.
   */
  public static Histogram histogram(MetricGroup group, String name) {
    return new FirstValueHistogram(group, name);
  }

  /** Registers its histogram in its group at its first update. */
  private static final class FirstValueHistogram implements Histogram {
    private final MetricGroup group;
    private final String name;
    private Histogram registered;

    FirstValueHistogram(MetricGroup group, String name) {
      this.group = group;
      this.name = name;
    }

    @Override
    public void update(long value) {
      if (registered == null) {
        registered = group.histogram(name, new DescriptiveStatisticsHistogram(1024));
      }
      registered.update(value);
    }

    @Override
    public long getCount() {
      return registered == null ? 0 : registered.getCount();
    }

    @Override
    public HistogramStatistics getStatistics() {
      return registered == null
          ? new DescriptiveStatisticsHistogram(1).getStatistics()
          : registered.getStatistics();
    }
  }
}
