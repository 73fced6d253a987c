package io.mmflow.jobs.bench;

import io.mmflow.connectors.kafka.FeedProducer;
import io.mmflow.datasets.feeds.SyntheticFeed;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The highest rate at which a consumer of the bench topic (the feeds job, or the bare loop that
 * anchors it) keeps the p99 latency from Kafka append to PostgreSQL row under {@value
 * #P99_LIMIT_MS} ms in steady state. A warm-up at the starting rate, then the backlog drained
 * (every item written); then steps of a fixed length at one rate each: up by half while a step
 * holds, then halving the gap between the highest rate held and the lowest that failed until they
 * are within {@value #RESOLUTION} of each other. A step holds when every item it sent is written
 * and the p99 of its rows is under the limit; after a step that left a backlog the search waits for
 * it to drain, so that each step starts from an idle consumer. A rate fails only when it fails
 * twice in a row: the p99 of a 10-s step is a handful of items, and one stall (a collection, a
 * commit) that put it over once ended the climb at the first step of a search (2,000/s at p99 515
 * ms, with 1,925/s then held at 137 ms). Searches of several consumers may run in turns, a step of
 * each at a time ({@link #alternate}), so that they are compared on the same machine.
 */
public final class StreamRateSearch implements SteppedSearch {
  static final double P99_LIMIT_MS = 500;

  /** The share of the offered rate a producer must reach for a step to count. */
  static final double PRODUCER_KEPT_UP = 0.95;

  /** The search ends when the lowest failing rate is within this fraction of the highest held. */
  static final double RESOLUTION = 0.06;

  private static final Duration STEP_DRAIN = Duration.ofSeconds(30);
  private static final Duration BACKLOG_DRAIN = Duration.ofSeconds(120);
  private static final Duration SETTLE = Duration.ofSeconds(5);
  private static final Duration WARMUP_CHUNK = Duration.ofSeconds(10);
  private static final Duration MAX_WARMUP = Duration.ofSeconds(300);

  /** The JIT compilers' share of a core under which the warm-up may end. */
  static final double JIT_SETTLED = 0.15;

  /**
   * @param start the rate of the warm-up and of the first step, events per second
   * @param warmup the warm-up's shortest length (it goes on while the JIT compilers are busy)
   * @param step each step's length
   * @param maxSteps the most steps
   */
  public record Settings(double start, Duration warmup, Duration step, int maxSteps) {}

  /**
   * One step.
   *
   * @param offered the rate asked of the producer
   * @param sent the rate the producer reached (items sent over the step's length)
   * @param window the step's latencies
   * @param cpuUsPerItem the machine's busy CPU time from the step's start until its items were
   *     written, per item ({@link MachineCpu})
   */
  public record Step(
      double offered, double sent, StreamLatencies.Window window, double cpuUsPerItem) {
    /**
     * Every item written, p99 under the limit, and the producer kept up (a producer that could not
     * send the rate measures the producer, not the consumer).
     */
    boolean held() {
      return window.items() > 0
          && window.complete()
          && window.text()[2] < P99_LIMIT_MS
          && sent >= PRODUCER_KEPT_UP * offered;
    }
  }

  /** What a step's outcome means for the search. */
  enum Verdict {
    HELD,
    /** A first failure at this rate: the same rate once more. */
    AGAIN,
    FAILED
  }

  /** The verdict of a step that {@code held} or not, {@code secondTry} at its rate. */
  static Verdict verdict(boolean held, boolean secondTry) {
    if (held) {
      return Verdict.HELD;
    }
    return secondTry ? Verdict.FAILED : Verdict.AGAIN;
  }

  /** The steps of a search and the highest one held (null when none held). */
  public record Outcome(String label, Step best, List<Step> steps) {
    /** The rate held: events per second sent in the highest step held, 0 when none held. */
    double maxRps() {
      return best == null ? 0 : best.sent();
    }
  }

  /**
   * What a search drives and reads: the producer of the consumer's topic, the feed whose events it
   * sends (event {@code item-<n>} is the feed's n-th), and the database the consumer writes.
   */
  record Load(FeedProducer producer, SyntheticFeed feed, String url) {
    /** Sends the feed's next events at {@code rate} for {@code duration}. */
    FeedProducer.Report send(double rate, Duration duration) {
      return producer.run(
          rate,
          duration,
          sentAt -> {
            SyntheticFeed.Event e = feed.next(sentAt);
            return new FeedProducer.Message(e.key(), e.json());
          });
    }
  }

  private final String label;
  private final Load load;
  private final Settings settings;
  private final PrintStream log;
  private final List<Step> steps = new ArrayList<>();
  private double rate;
  private Step best;
  private double failed = Double.POSITIVE_INFINITY;
  private boolean secondTry;
  private boolean done;

  /** The search of the consumer of {@code load}'s topic, named {@code label} in the log. */
  StreamRateSearch(String label, Load load, Settings settings, PrintStream log) {
    this.label = label;
    this.load = load;
    this.settings = settings;
    this.log = log;
    this.rate = settings.start();
  }

  /** A whole search: the warm-up, then steps until the search ends. */
  static Outcome run(String label, Load load, Settings settings, PrintStream log) throws Exception {
    StreamRateSearch search = new StreamRateSearch(label, load, settings, log);
    search.warmUp();
    while (!search.done()) {
      search.step();
    }
    return search.outcome();
  }

  /**
   * Searches in turns, already {@link #warmUp warmed up}: one step of each in turn until all have
   * ended. Consumers measured minutes apart were measured on different machines (on two vCPUs the
   * same bare loop held 5,625, 9,281 and 5,905 items/s in consecutive searches); a step of each
   * every half minute or so puts them under the same conditions. The consumers all run throughout,
   * each idle during the others' steps.
   */
  static List<Outcome> alternate(List<StreamRateSearch> searches) throws Exception {
    inTurns(searches);
    return searches.stream().map(StreamRateSearch::outcome).toList();
  }

  /** A step of each unfinished search in order, round after round, until all are done. */
  static void inTurns(List<? extends SteppedSearch> turns) throws Exception {
    while (turns.stream().anyMatch(t -> !t.done())) {
      for (SteppedSearch t : turns) {
        if (!t.done()) {
          t.step();
        }
      }
    }
  }

  /** Whether the search has ended: its resolution reached, its steps spent, or a stuck backlog. */
  @Override
  public boolean done() {
    return done;
  }

  /** The steps so far and the highest held. */
  Outcome outcome() {
    return new Outcome(label, best, List.copyOf(steps));
  }

  /** One step at the search's current rate, and the rate of the next. */
  @Override
  public void step() throws Exception {
    long first = load.feed().produced();
    MachineCpu.Sample before = MachineCpu.sample();
    load.send(rate, settings.step());
    long last = load.feed().produced();
    long written = StreamLatencies.awaitWritten(load.url(), first, last, STEP_DRAIN);
    MachineCpu.Usage cpu = MachineCpu.sample().since(before);
    StreamLatencies.Window w = StreamLatencies.measure(load.url(), first, last, written);
    Step step =
        new Step(
            rate,
            (last - first) / (settings.step().toNanos() / 1e9),
            w,
            written == 0 ? Double.NaN : cpu.machine() / written);
    Verdict verdict = record(step);
    double[] text = w.text();
    log.printf(
        Locale.ROOT,
        "  %s step %d: %.0f events/s sent, %d of %d written, p50 %.0f p99 %.0f ms, CPU %.0f"
            + " us/item: %s%n"
            + "    p99 ms by second: %s%n"
            + "    CPU us/item by thread: %s%n",
        label,
        steps.size(),
        step.sent(),
        w.written(),
        w.items(),
        text[0],
        text[2],
        step.cpuUsPerItem(),
        switch (verdict) {
          case HELD -> "held";
          case AGAIN -> "not held, once more at this rate";
          case FAILED -> "not held";
        },
        w.perSecond(),
        cpu.perItem(written, 6));
    if (verdict != Verdict.HELD) {
      if (!w.complete() && !drained(first, last)) {
        end();
        return;
      }
      Thread.sleep(SETTLE.toMillis()); // the backlog's after-effects (GC, timers, commits)
    }
    advance(step, verdict);
  }

  /** Counts {@code step} and says what it means: held, once more at its rate, or failed. */
  Verdict record(Step step) {
    steps.add(step);
    return verdict(step.held(), secondTry);
  }

  /**
   * The search's state after a step {@link #record recorded} with {@code verdict}: the highest rate
   * held or the lowest failed, the next rate (the same once more after a first failure), and the
   * end when the resolution is reached, nothing held down to 20/s, or the steps are spent.
   */
  void advance(Step step, Verdict verdict) {
    switch (verdict) {
      case HELD -> best = best == null || step.offered() > best.offered() ? step : best;
      case AGAIN -> {
        secondTry = true;
        endIfSpent();
        return;
      }
      case FAILED -> failed = Math.min(failed, step.offered());
    }
    secondTry = false;
    rate = next(rate, best == null ? Double.NaN : best.offered(), failed);
    if (Double.isNaN(rate)) {
      end();
    } else {
      endIfSpent();
    }
  }

  /** The rate of the next step. */
  double rate() {
    return rate;
  }

  private void endIfSpent() {
    if (steps.size() >= settings.maxSteps()) {
      end();
    }
  }

  private void end() {
    done = true;
    log.printf(
        Locale.ROOT,
        "  %s: highest rate held %.0f events/s (p99 < %.0f ms) in %d steps%n",
        label,
        best == null ? 0 : best.sent(),
        P99_LIMIT_MS,
        steps.size());
  }

  /**
   * The next step's rate after a step at {@code rate}, or NaN to stop: down by 30% while nothing
   * held (stop under 20/s), up by half while nothing failed, then the middle of the highest rate
   * held and the lowest that failed, until they are within {@link #RESOLUTION}.
   *
   * @param held the highest offered rate that held, NaN when none has
   * @param failed the lowest offered rate that failed, infinite when none has
   */
  static double next(double rate, double held, double failed) {
    if (Double.isNaN(held)) {
      return rate * 0.7 < 20 ? Double.NaN : rate * 0.7;
    }
    if (Double.isInfinite(failed)) {
      return rate * 1.5;
    }
    return failed / held - 1 <= RESOLUTION ? Double.NaN : (held + failed) / 2;
  }

  /**
   * The warm-up at the starting rate: at least {@code settings.warmup()}, then on in chunks of
   * {@link #WARMUP_CHUNK} while the JIT compilers still use {@link #JIT_SETTLED} of a core or more
   * (at most {@link #MAX_WARMUP} in all), then the backlog drained. On two vCPUs the compilers took
   * 0.2-0.5 of a core for the first two to four minutes of a run (a job, a broker and a producer
   * are much code), which moved a step's CPU per item by half between runs.
   *
   * <p>A backlog that does not drain ends the search before its first step.
   */
  void warmUp() throws Exception {
    long first = load.feed().produced(); // the feed may go on from an earlier search's items
    long start = System.nanoTime();
    if (!settings.warmup().isZero()) {
      load.send(settings.start(), settings.warmup());
    }
    double jit = Double.NaN;
    while (JitCompilers.timed() && System.nanoTime() - start < MAX_WARMUP.toNanos()) {
      JitCompilers.Span chunk = JitCompilers.start();
      load.send(settings.start(), WARMUP_CHUNK);
      jit = chunk.shareOfCore();
      if (jit < JIT_SETTLED) {
        break;
      }
    }
    log.printf(
        Locale.ROOT,
        "  %s: warm-up %d s at %.0f events/s, the JIT compilers at %.2f of a core in its last %d s%n",
        label,
        Duration.ofNanos(System.nanoTime() - start).toSeconds(),
        settings.start(),
        jit,
        WARMUP_CHUNK.toSeconds());
    if (!drained(first, load.feed().produced())) {
      end();
    }
  }

  /** Waits for every item in {@code [first, last)} to be written; false when it never is. */
  private boolean drained(long first, long last) throws Exception {
    long written = StreamLatencies.awaitWritten(load.url(), first, last, BACKLOG_DRAIN);
    if (written < last - first) {
      log.printf(
          "  %s: %d of %d items written after %d s: the backlog does not drain, search ended%n",
          label, written, last - first, BACKLOG_DRAIN.toSeconds());
      return false;
    }
    return true;
  }
}
