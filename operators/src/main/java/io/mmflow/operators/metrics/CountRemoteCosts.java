package io.mmflow.operators.metrics;

import io.mmflow.core.model.ModalityResult;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Passes a remote stage's results on and adds each to the job's {@link RemoteCosts} (async
 * functions cannot hold accumulators, so this runs right after the async operator).
 */
public final class CountRemoteCosts extends RichMapFunction<ModalityResult, ModalityResult> {
  private transient RemoteCosts costs;

  @Override
  public void open(OpenContext openContext) {
    // operators chained into one task share its accumulators: the first one registers it
    costs =
        (RemoteCosts)
            getRuntimeContext()
                .<ModalityResult, java.util.HashMap<String, RemoteCosts.Totals>>getAccumulator(
                    RemoteCosts.NAME);
    if (costs == null) {
      costs = new RemoteCosts();
      getRuntimeContext().addAccumulator(RemoteCosts.NAME, costs);
    }
  }

  @Override
  public ModalityResult map(ModalityResult r) {
    costs.add(r);
    return r;
  }
}
