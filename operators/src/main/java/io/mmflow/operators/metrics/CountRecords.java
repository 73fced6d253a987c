package io.mmflow.operators.metrics;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Counts the records passing through under one {@link RunCounters} name. */
public final class CountRecords<T> extends ProcessFunction<T, T> {
  private final String counter;
  private transient RunCounters count;

  /**
   * @param counter the counter's name, one of the {@link RunCounters} constants
   */
  public CountRecords(String counter) {
    this.counter = counter;
  }

  @Override
  public void open(OpenContext openContext) {
    count = RunCounters.counter(getRuntimeContext(), counter);
  }

  @Override
  public void processElement(T value, Context ctx, Collector<T> out) {
    count.increment();
    out.collect(value);
  }
}
