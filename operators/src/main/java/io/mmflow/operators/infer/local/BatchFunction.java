package io.mmflow.operators.infer.local;

import java.io.Serializable;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;

/**
 * What {@link MicroBatchOperator} runs: a model over a batch of records, one output per input.
 * Opened once per task slot, where it loads its model; closed on shutdown.
 *
 * @param <I> input record
 * @param <O> output record
 */
public interface BatchFunction<I, O> extends Serializable {
  /** Loads the model. Runs in the task, before the first record. */
  default void open(RuntimeContext context) throws Exception {}

  /** One output per input, in input order. */
  List<O> apply(List<I> batch) throws Exception;

  /**
   * The output for an input the model failed on even alone (an error result): the operator never
   * drops a record and never fails the job for one bad input.
   */
  O failed(I input, Exception error);

  default void close() throws Exception {}
}
