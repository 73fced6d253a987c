package io.mmflow.jobs.bench;

import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.ResultStatus;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A sink that notes when results arrive, for benchmarks on a MiniCluster in this JVM (hence the
 * static counters: the sink is serialized into the job and its writer runs in this process). Rates
 * are timed from the first result to the last, so job start and stop are not counted. One benchmark
 * run at a time.
 */
final class Arrivals<T> implements Sink<T> {
  /** Which arrivals count as OK (serializable: it travels with the sink). */
  interface Ok<T> extends java.io.Serializable {
    boolean test(T record);
  }

  private static final AtomicLong FIRST = new AtomicLong();
  private static final AtomicLong LAST = new AtomicLong();
  private static final AtomicLong COUNT = new AtomicLong();
  private static final AtomicLong OK = new AtomicLong();
  private static final AtomicLong EXPECTED = new AtomicLong(-1);
  private static volatile MachineCpu.Sample atFirst;
  private static volatile MachineCpu.Sample atLast;

  private final Ok<T> ok;

  Arrivals(Ok<T> ok) {
    this.ok = ok;
  }

  /** For canonical results: OK is status OK. */
  static Arrivals<ModalityResult> results() {
    return new Arrivals<>(r -> r.status() == ResultStatus.OK);
  }

  /** Clears the counters before a run. */
  static void reset() {
    reset(-1);
  }

  /**
   * Clears the counters before a run of {@code expected} results, whose machine CPU time from the
   * first result to the last {@link #cpu} then tells.
   */
  static void reset(long expected) {
    FIRST.set(0);
    LAST.set(0);
    COUNT.set(0);
    OK.set(0);
    EXPECTED.set(expected);
    atFirst = null;
    atLast = null;
  }

  /**
   * Notes one arrival now, OK or not; safe from several threads (a benchmark without a sink, such
   * as bench remote's SDK-alone loop, calls it from the HTTP client's callbacks).
   */
  static void arrived(boolean ok) {
    long t = System.nanoTime();
    if (FIRST.compareAndSet(0, t) && EXPECTED.get() > 0) {
      atFirst = MachineCpu.sample();
    }
    LAST.accumulateAndGet(t, Math::max);
    if (COUNT.incrementAndGet() == EXPECTED.get()) {
      atLast = MachineCpu.sample();
    }
    if (ok) {
      OK.incrementAndGet();
    }
  }

  /** Results per second between the first and the last; fails unless {@code expected} arrived. */
  static double rate(long expected) {
    if (COUNT.get() != expected) {
      throw new IllegalStateException(COUNT.get() + " results for " + expected + " inputs");
    }
    return (expected - 1) / ((LAST.get() - FIRST.get()) / 1e9);
  }

  /**
   * The machine's busy CPU time, and this JVM's by thread group, between the first result and the
   * last of a run started with {@link #reset(long)}; null where it was not counted.
   */
  static MachineCpu.Usage cpu() {
    MachineCpu.Sample first = atFirst;
    MachineCpu.Sample last = atLast;
    return first == null || last == null ? null : last.since(first);
  }

  /** Results with status OK in the last run. */
  static long ok() {
    return OK.get();
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) {
    return new SinkWriter<>() {
      @Override
      public void write(T r, Context context) {
        arrived(ok.test(r));
      }

      @Override
      public void flush(boolean endOfInput) {}

      @Override
      public void close() {}
    };
  }
}
