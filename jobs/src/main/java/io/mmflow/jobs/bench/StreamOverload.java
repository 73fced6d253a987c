package io.mmflow.jobs.bench;

import io.mmflow.connectors.kafka.FeedProducer;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.datasets.feeds.SyntheticFeed;
import io.mmflow.jobs.feeds.FeedsJob;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;

/**
 * The feeds job fed at twice a rate it sustains, for a while: does it stay up (no out-of-memory, no
 * restart), do its checkpoints keep completing under back-pressure, how far does the backlog grow,
 * and how long does it take to drain once the rate falls back to nothing. {@code bin/mmflow bench
 * stream --overload --rate R} (R: a rate the job holds, e.g. the search's {@code max_rps}).
 */
public final class StreamOverload {
  /** Checkpoints completed and aborted, and task starts, seen by the tap (this JVM's cluster). */
  static final AtomicInteger COMPLETED = new AtomicInteger();

  static final AtomicInteger ABORTED = new AtomicInteger();
  static final AtomicInteger STARTS = new AtomicInteger();

  /** The figures of one overload run. */
  public record Result(
      double rate,
      double sentRps,
      long sent,
      long maxBacklog,
      double drainS,
      int checkpoints,
      int checkpointsAborted,
      int restarts,
      long heapStartMb,
      long heapPeakMb,
      long heapEndMb) {}

  private StreamOverload() {}

  /**
   * Counts the job's checkpoints as its first results subtask is told of them, and its starts (a
   * restart opens it again).
   */
  static final class CheckpointTap extends RichMapFunction<ModalityResult, ModalityResult>
      implements CheckpointListener {
    private transient boolean counts;

    @Override
    public void open(OpenContext context) {
      counts = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
      if (counts) {
        STARTS.incrementAndGet();
      }
    }

    @Override
    public ModalityResult map(ModalityResult r) {
      return r;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      if (counts) {
        COMPLETED.incrementAndGet();
      }
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) {
      if (counts) {
        ABORTED.incrementAndGet();
      }
    }
  }

  /**
   * A warm-up at {@code rate}, the backlog drained, then {@code 2 x rate} for {@code duration},
   * then nothing until every item is written (at most 10 minutes).
   */
  public static Result run(
      Configuration base,
      double rate,
      Duration warmup,
      Duration duration,
      SyntheticFeed.Mix mix,
      Path corpus,
      PrintStream log)
      throws Exception {
    COMPLETED.set(0);
    ABORTED.set(0);
    STARTS.set(0);
    FeedsJob.Taps taps =
        new FeedsJob.Taps(
            parts -> parts,
            results ->
                results
                    .map(new CheckpointTap())
                    .returns(results.getType())
                    .name("bench: checkpoint count")
                    .uid("bench-checkpoint-count"));
    return StreamBenchmark.withServices(
        base,
        mix,
        log,
        (config, broker, url) -> {
          SyntheticFeed feed = StreamBenchmark.feed(mix, corpus);
          return StreamBenchmark.withJob(
              config,
              log,
              taps,
              () -> {
                try (FeedProducer producer =
                    new FeedProducer(broker.bootstrapServers(), StreamBenchmark.TOPIC, Map.of())) {
                  StreamRateSearch.Load load = new StreamRateSearch.Load(producer, feed, url);
                  log.printf("warm-up: %s events/s for %d s%n", fmt(rate), warmup.toSeconds());
                  load.send(rate, warmup);
                  StreamLatencies.awaitWritten(url, 0, feed.produced(), Duration.ofMinutes(2));
                  return overload(load, rate, duration, log);
                }
              });
        });
  }

  private static Result overload(
      StreamRateSearch.Load load, double rate, Duration duration, PrintStream log)
      throws Exception {
    long heapStart = StreamBenchmark.liveHeap();
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    int checkpointsBefore = COMPLETED.get();
    int abortedBefore = ABORTED.get();
    int startsBefore = STARTS.get();
    long first = load.feed().produced();
    log.printf(
        "overload: %s events/s (twice %s) for %d s%n",
        fmt(2 * rate), fmt(rate), duration.toSeconds());
    AtomicLong stopped = new AtomicLong();
    long maxBacklog = 0;
    CompletableFuture<FeedProducer.Report> sent =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return load.send(2 * rate, duration);
              } finally {
                stopped.set(System.nanoTime()); // the drain is timed from here
              }
            });
    // the backlog (sent, not written) every 5 s while sending, and once when sending ends
    boolean done = false;
    while (!done) {
      try {
        sent.get(5, TimeUnit.SECONDS);
        done = true;
      } catch (TimeoutException stillSending) {
        // sample below
      }
      long produced = load.feed().produced();
      long written = StreamLatencies.awaitWritten(load.url(), first, produced, Duration.ZERO);
      long backlog = produced - first - written;
      maxBacklog = Math.max(maxBacklog, backlog);
      log.printf(
          "  backlog %d items, checkpoints completed %d%n",
          backlog, COMPLETED.get() - checkpointsBefore);
    }
    FeedProducer.Report report = sent.get();
    int checkpoints = COMPLETED.get() - checkpointsBefore;
    long last = load.feed().produced();
    long written = StreamLatencies.awaitWritten(load.url(), first, last, Duration.ofMinutes(10));
    double drainS = (System.nanoTime() - stopped.get()) / 1e9;
    if (written < last - first) {
      drainS = Double.NaN; // not drained in 10 minutes
    }
    long heapPeak = heapPeak();
    long heapEnd = StreamBenchmark.liveHeap();
    Result r =
        new Result(
            rate,
            report.rate(),
            report.sent(),
            maxBacklog,
            drainS,
            checkpoints,
            ABORTED.get() - abortedBefore,
            STARTS.get() - startsBefore,
            heapStart >> 20,
            heapPeak >> 20,
            heapEnd >> 20);
    log.printf(
        "  sent %d at %s/s; backlog at most %d items; drained %.1f s after the overload;"
            + " %d checkpoints completed during it, %d aborted; %d restarts; heap: live %d MB"
            + " before, peak %d MB, live %d MB after%n",
        r.sent(),
        fmt(r.sentRps()),
        r.maxBacklog(),
        r.drainS(),
        r.checkpoints(),
        r.checkpointsAborted(),
        r.restarts(),
        r.heapStartMb(),
        r.heapPeakMb(),
        r.heapEndMb());
    return r;
  }

  /** The heap's peak use since the pools' peaks were reset, summed over the heap pools. */
  private static long heapPeak() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }

  public static void print(Result r, PrintStream out) {
    out.printf(
        "RESULT bench=stream-overload rate=%s overload_rps=%s max_backlog=%d drain_s=%.1f"
            + " checkpoints=%d checkpoints_aborted=%d restarts=%d heap_peak_mb=%d"
            + " heap_live_end_mb=%d%n",
        fmt(r.rate()),
        fmt(r.sentRps()),
        r.maxBacklog(),
        r.drainS(),
        r.checkpoints(),
        r.checkpointsAborted(),
        r.restarts(),
        r.heapPeakMb(),
        r.heapEndMb());
  }

  private static String fmt(double v) {
    return StreamBenchmark.fmt(v);
  }
}
