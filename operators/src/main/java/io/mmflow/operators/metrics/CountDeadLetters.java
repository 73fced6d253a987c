package io.mmflow.operators.metrics;

import io.mmflow.core.model.DeadLetter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Counts dead letters made by stages that cannot count them themselves (the connectors' feed
 * parsing and S3 fetching) and passes them on unchanged.
 */
public final class CountDeadLetters extends ProcessFunction<DeadLetter, DeadLetter> {
  private final boolean alsoItemsRead;
  private transient RunCounters deadLetters;
  private transient RunCounters itemsRead;

  /**
   * @param alsoItemsRead whether each dead letter is also an item read: true where the input was
   *     rejected before any stage counted it (an event that did not parse)
   */
  public CountDeadLetters(boolean alsoItemsRead) {
    this.alsoItemsRead = alsoItemsRead;
  }

  @Override
  public void open(OpenContext openContext) {
    deadLetters = RunCounters.deadLetters(getRuntimeContext());
    itemsRead =
        alsoItemsRead ? RunCounters.counter(getRuntimeContext(), RunCounters.ITEMS_READ) : null;
  }

  @Override
  public void processElement(DeadLetter deadLetter, Context ctx, Collector<DeadLetter> out) {
    deadLetters.increment(deadLetter.code());
    if (itemsRead != null) {
      itemsRead.increment();
    }
    out.collect(deadLetter);
  }
}
