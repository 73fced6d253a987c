package io.mmflow.model;

import java.util.ArrayList;
import java.util.List;

/**
 * One model behind one small interface, whatever runs it: Apache Tika, Tesseract, ONNX Runtime or a
 * remote provider. Operators open a runtime once per task slot (in {@code open()}), call it per
 * record or per batch, and close it on shutdown.
 *
 * <p>Implementations throw {@link io.mmflow.core.error.MmflowException} with a code for bad input
 * or failed calls; the calling operator turns that into a dead letter or an error result.
 *
 * @param <I> the runtime's input
 * @param <O> its output
 */
public interface ModelRuntime<I, O> extends AutoCloseable {
  /** Provider, model id and version, as recorded in each result's provenance. */
  ModelInfo info();

  /** Runs the model on one input. */
  O apply(I input);

  /** Runs the model on a batch; runtimes that batch natively override this. */
  default List<O> applyBatch(List<I> inputs) {
    List<O> out = new ArrayList<>(inputs.size());
    for (I input : inputs) {
      out.add(apply(input));
    }
    return out;
  }

  @Override
  default void close() {}
}
