package io.mmflow.operators.fusion;

import static java.util.Objects.requireNonNull;

import io.mmflow.core.model.FusedResult;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.operators.metrics.RunCounters;
import java.time.Clock;
import java.time.Instant;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Emits one {@link FusedResult} per correlation id and window, from the window's {@link
 * FusionTally} built by {@link Tally}; window start and end come from the {@link TimeWindow}, the
 * fusion from {@link SentimentFusion#fuse(String, Instant, Instant, FusionTally, Instant)}.
 */
public final class FusionWindow
    extends ProcessWindowFunction<FusionTally, FusedResult, String, TimeWindow> {
  private static final long serialVersionUID = 1L;

  /** Adds each result to the window's tally, so the window holds sums, not results. */
  public static final class Tally
      implements AggregateFunction<ModalityResult, FusionTally, FusionTally> {
    private static final long serialVersionUID = 1L;

    @Override
    public FusionTally createAccumulator() {
      return FusionTally.EMPTY;
    }

    @Override
    public FusionTally add(ModalityResult value, FusionTally acc) {
      return acc.add(value);
    }

    @Override
    public FusionTally getResult(FusionTally acc) {
      return acc;
    }

    @Override
    public FusionTally merge(FusionTally a, FusionTally b) {
      return a.merge(b);
    }
  }

  private final SentimentFusion fusion;
  private final Clock clock;
  private transient RunCounters fused;

  public FusionWindow(FusionSettings settings) {
    this(settings, Clock.systemUTC());
  }

  /** With {@code clock} for {@link FusedResult#fusedAt()}. */
  public FusionWindow(FusionSettings settings, Clock clock) {
    this.fusion = new SentimentFusion(settings);
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public void open(OpenContext openContext) throws Exception {
    super.open(openContext);
    fused = RunCounters.counter(getRuntimeContext(), RunCounters.FUSED);
  }

  /** {@link ProcessWindowFunction#process}: fuses the single tally of the window. */
  @Override
  public void process(
      String correlationId,
      Context context,
      Iterable<FusionTally> tallies,
      Collector<FusedResult> out) {
    FusionTally tally = FusionTally.EMPTY;
    for (FusionTally t : tallies) {
      tally = tally.merge(t);
    }
    TimeWindow w = context.window();
    if (fused != null) {
      fused.increment();
    }
    out.collect(
        fusion.fuse(
            correlationId,
            Instant.ofEpochMilli(w.getStart()),
            Instant.ofEpochMilli(w.getEnd()),
            tally,
            clock.instant()));
  }
}
