package io.mmflow.operators.infer.local;

import io.mmflow.operators.metrics.MmflowMetrics;
import io.mmflow.operators.metrics.RunCounters;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Collects records into micro-batches and runs a {@link BatchFunction} on each: a batch runs when
 * it holds {@code maxSize} records, or {@code maxWait} after its first record arrived (a
 * processing-time timer), whichever comes first.
 *
 * <p>Nothing is buffered across a checkpoint or a watermark: the batch in hand is run before the
 * checkpoint barrier is forwarded ({@link #prepareSnapshotPreBarrier}) and before a watermark
 * passes, so the operator needs no state for exactly-once and never turns its records late. At the
 * end of input the last batch runs in {@link #finish()}. Output records keep their input's
 * timestamp.
 *
 * <p>When a batch fails, each of its records is retried alone, so that one bad input cannot fail
 * its neighbours; a record that fails alone becomes {@link BatchFunction#failed}'s output.
 *
 * <p>Metrics (group {@code mmflow}, {@link MmflowMetrics}): {@code batch_size} and {@code
 * batch_latency_ms} histograms (from the first batch on), {@code records_inferred} and {@code
 * records_failed} counters; each output also counts in the run summary's results.
 *
 * <p>Records are held by reference between arrival and the batch run: the record types mmflow
 * batches are immutable, so Flink's object reuse is safe here.
 */
public final class MicroBatchOperator<I, O> extends AbstractStreamOperator<O>
    implements OneInputStreamOperator<I, O> {
  private final BatchFunction<I, O> function;
  private final int maxSize;
  private final long maxWaitMs;
  private final boolean countsResults;

  private transient List<I> batch;
  private transient long[] timestamps;
  private transient boolean[] hasTimestamp;
  private transient long batchSequence;
  private transient Histogram batchSize;
  private transient Histogram batchLatency;
  private transient Counter inferred;
  private transient Counter failed;
  private transient RunCounters results;

  public MicroBatchOperator(BatchFunction<I, O> function, int maxSize, long maxWaitMs) {
    this(function, maxSize, maxWaitMs, true);
  }

  /**
   * @param countsResults whether each output counts in the run's results; false where a later stage
   *     decides what becomes a result and what a dead letter ({@link ItemResults})
   */
  public MicroBatchOperator(
      BatchFunction<I, O> function, int maxSize, long maxWaitMs, boolean countsResults) {
    if (maxSize < 1 || maxWaitMs < 0) {
      throw new IllegalArgumentException(
          "micro-batch max size must be >= 1 and max wait >= 0: " + maxSize + ", " + maxWaitMs);
    }
    this.function = function;
    this.maxSize = maxSize;
    this.maxWaitMs = maxWaitMs;
    this.countsResults = countsResults;
  }

  @Override
  public void open() throws Exception {
    super.open();
    batch = new ArrayList<>(maxSize);
    timestamps = new long[maxSize];
    hasTimestamp = new boolean[maxSize];
    MetricGroup metrics = MmflowMetrics.group(getMetricGroup());
    batchSize = MmflowMetrics.histogram(metrics, MmflowMetrics.BATCH_SIZE);
    batchLatency = MmflowMetrics.histogram(metrics, MmflowMetrics.BATCH_LATENCY_MS);
    inferred = metrics.counter(MmflowMetrics.RECORDS_INFERRED);
    failed = metrics.counter(MmflowMetrics.RECORDS_FAILED);
    results = RunCounters.counter(getRuntimeContext(), RunCounters.RESULTS);
    function.open(getRuntimeContext());
  }

  @Override
  public void processElement(StreamRecord<I> element) throws Exception {
    int slot = batch.size();
    batch.add(element.getValue());
    hasTimestamp[slot] = element.hasTimestamp();
    timestamps[slot] = element.hasTimestamp() ? element.getTimestamp() : 0;
    if (batch.size() >= maxSize) {
      runBatch();
    } else if (slot == 0) {
      long sequence = batchSequence;
      long deadline = getProcessingTimeService().getCurrentProcessingTime() + maxWaitMs;
      getProcessingTimeService()
          .registerTimer(
              deadline,
              time -> {
                if (batchSequence == sequence) {
                  runBatch();
                }
              });
    }
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    runBatch();
    super.processWatermark(mark);
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    runBatch();
    super.prepareSnapshotPreBarrier(checkpointId);
  }

  @Override
  public void finish() throws Exception {
    runBatch();
    super.finish();
  }

  @Override
  public void close() throws Exception {
    try {
      function.close();
    } finally {
      super.close();
    }
  }

  private void runBatch() throws Exception {
    if (batch.isEmpty()) {
      return;
    }
    batchSequence++;
    int n = batch.size();
    long started = System.nanoTime();
    List<O> outputs;
    try {
      outputs = function.apply(batch);
      if (outputs.size() != n) {
        throw new IllegalStateException(
            "batch function returned " + outputs.size() + " outputs for " + n + " inputs");
      }
    } catch (Exception batchError) {
      outputs = new ArrayList<>(n);
      for (I input : batch) {
        outputs.add(alone(input));
      }
    }
    batchLatency.update((System.nanoTime() - started) / 1_000_000);
    batchSize.update(n);
    inferred.inc(n);
    for (int i = 0; countsResults && i < n; i++) {
      results.increment();
    }
    for (int i = 0; i < n; i++) {
      StreamRecord<O> record = new StreamRecord<>(outputs.get(i));
      if (hasTimestamp[i]) {
        record.setTimestamp(timestamps[i]);
      }
      output.collect(record);
    }
    batch.clear();
  }

  private O alone(I input) {
    try {
      List<O> one = function.apply(List.of(input));
      if (one.size() == 1) {
        return one.get(0);
      }
      throw new IllegalStateException("batch function returned " + one.size() + " outputs for 1");
    } catch (Exception e) {
      failed.inc();
      return function.failed(input, e);
    }
  }
}
