package io.mmflow.operators.metrics;

import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.ResultStatus;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.accumulators.Accumulator;

/**
 * A Flink accumulator of what a job's remote calls cost, per provider and model: results, cache
 * hits, errors, tokens and USD. The runner reads it when the job ends (run summary, the {@code
 * job_costs} table). Keys are {@code provider/model_id}.
 */
public final class RemoteCosts
    implements Accumulator<ModalityResult, HashMap<String, RemoteCosts.Totals>> {
  private static final long serialVersionUID = 1L;

  /** The accumulator's name. */
  public static final String NAME = "mmflow.remote-costs";

  /** The totals of one provider and model. */
  public static final class Totals implements Serializable {
    private static final long serialVersionUID = 1L;
    public long results;
    public long cacheHits;
    public long errors;
    public long inputTokens;
    public long outputTokens;
    public double usd;

    void add(Totals o) {
      results += o.results;
      cacheHits += o.cacheHits;
      errors += o.errors;
      inputTokens += o.inputTokens;
      outputTokens += o.outputTokens;
      usd += o.usd;
    }

    Totals copy() {
      Totals t = new Totals();
      t.add(this);
      return t;
    }

    @Override
    public String toString() {
      return String.format(
          java.util.Locale.ROOT,
          "%d results, %d cache hits, %d errors, %d+%d tokens, %.6f USD",
          results,
          cacheHits,
          errors,
          inputTokens,
          outputTokens,
          usd);
    }
  }

  private HashMap<String, Totals> totals = new HashMap<>();

  /** The key of a result: its provider and model id. */
  public static String key(ModalityResult r) {
    return r.provenance().provider() + "/" + r.provenance().modelId();
  }

  @Override
  public void add(ModalityResult r) {
    Totals t = totals.computeIfAbsent(key(r), k -> new Totals());
    t.results++;
    if (r.provenance().cacheHit()) {
      t.cacheHits++;
    }
    if (r.status() != ResultStatus.OK) {
      t.errors++;
    }
    t.inputTokens += r.cost().inputTokens();
    t.outputTokens += r.cost().outputTokens();
    t.usd += r.cost().usd();
  }

  @Override
  public HashMap<String, Totals> getLocalValue() {
    return totals;
  }

  @Override
  public void resetLocal() {
    totals = new HashMap<>();
  }

  @Override
  public void merge(Accumulator<ModalityResult, HashMap<String, Totals>> other) {
    other.getLocalValue().forEach((k, v) -> totals.computeIfAbsent(k, x -> new Totals()).add(v));
  }

  @Override
  public RemoteCosts clone() {
    RemoteCosts copy = new RemoteCosts();
    for (Map.Entry<String, Totals> e : totals.entrySet()) {
      copy.totals.put(e.getKey(), e.getValue().copy());
    }
    return copy;
  }

  @Override
  public String toString() {
    return new TreeMap<>(totals).toString();
  }
}
