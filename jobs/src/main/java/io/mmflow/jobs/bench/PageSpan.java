package io.mmflow.jobs.bench;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.IntCounter;
import org.apache.flink.api.common.accumulators.ListAccumulator;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.accumulators.LongMinimum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps the span of the OCR results it sees (epoch milliseconds of the earliest start and the
 * latest end), their count and, where asked, each page's text by its source URI, in Flink
 * accumulators read once the job ends ({@link #of}); emits nothing. The results are not streamed to
 * the client one by one ({@code executeAndCollect}): that adds an RPC round for every batch of
 * results on the same cores, which no documents job does (it writes to its sinks), and cost 1.5-2%
 * of the machine. The documents job's results and a SQL query's rows both go through one.
 *
 * @param <T> what the job emits: a {@code ModalityResult}, or a SQL row
 */
final class PageSpan<T> extends ProcessFunction<T, Void> {
  private static final long serialVersionUID = 1L;
  private static final String FIRST_START = "bench.ocr.first-start-ms";
  private static final String LAST_END = "bench.ocr.last-end-ms";
  private static final String PAGES = "bench.ocr.pages";
  private static final String TEXTS = "bench.ocr.texts";

  /** One OCR'd page as the span sees it; {@code text} may be null when texts are not kept. */
  record Page(String sourceUri, Object startedAt, Object finishedAt, String text) {}

  /** What a job's pages came to. */
  record Span(int pages, long firstStartMs, long lastEndMs, Map<String, String> texts) {
    /** {@code expected} pages over the span, per second. */
    double pagesPerSecond(int expected) {
      return expected / (Math.max(lastEndMs - firstStartMs, 1) / 1000.0);
    }
  }

  /** The OCR page an element stands for, or null where it is not one. */
  @FunctionalInterface
  interface Pages<T> extends Serializable {
    Page of(T element);
  }

  private final Pages<T> pages;
  private final boolean keepTexts;
  private transient LongMinimum firstStart;
  private transient LongMaximum lastEnd;
  private transient IntCounter count;
  private transient ListAccumulator<String> texts;

  PageSpan(Pages<T> pages, boolean keepTexts) {
    this.pages = pages;
    this.keepTexts = keepTexts;
  }

  @Override
  public void open(OpenContext context) {
    firstStart = new LongMinimum();
    lastEnd = new LongMaximum();
    count = new IntCounter();
    getRuntimeContext().addAccumulator(FIRST_START, firstStart);
    getRuntimeContext().addAccumulator(LAST_END, lastEnd);
    getRuntimeContext().addAccumulator(PAGES, count);
    if (keepTexts) {
      texts = new ListAccumulator<>();
      getRuntimeContext().addAccumulator(TEXTS, texts);
    }
  }

  @Override
  public void processElement(T element, Context context, Collector<Void> out) {
    Page page = pages.of(element);
    if (page != null) {
      count.add(1);
      firstStart.add(epochMillis(page.startedAt()));
      lastEnd.add(epochMillis(page.finishedAt()));
      if (keepTexts) {
        texts.add(page.sourceUri() + '\u0000' + (page.text() == null ? "" : page.text()));
      }
    }
  }

  private static long epochMillis(Object t) {
    if (t instanceof Instant i) {
      return i.toEpochMilli();
    }
    if (t instanceof LocalDateTime l) {
      return l.toInstant(ZoneOffset.UTC).toEpochMilli();
    }
    throw new IllegalArgumentException("not a point in time: " + t);
  }

  /**
   * Runs the documents job's extraction pipeline over {@code input} (no sinks) with a {@code
   * PageSpan} of {@code pages} on its results: the span of what it saw.
   */
  static Span ofJob(
      java.nio.file.Path input,
      org.apache.flink.configuration.Configuration config,
      Pages<io.mmflow.core.model.ModalityResult> pages,
      boolean keepTexts,
      String jobName)
      throws Exception {
    var run =
        io.mmflow.jobs.runtime.LocalRun.extraction(
            input, config, io.mmflow.jobs.documents.DocumentsJob::pipeline);
    run.streams()
        .results()
        .process(new PageSpan<>(pages, keepTexts))
        .name("result timings")
        .sinkTo(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>())
        .name("discard");
    return of(run.env().execute(jobName));
  }

  /** The span of a finished job that ran a {@code PageSpan}; zero pages if it saw none. */
  static Span of(JobExecutionResult done) {
    Integer n = done.getAccumulatorResult(PAGES);
    if (n == null || n == 0) {
      return new Span(0, 0, 0, Map.of());
    }
    Map<String, String> byUri = new HashMap<>();
    List<String> kept = done.getAccumulatorResult(TEXTS);
    for (String t : kept == null ? new ArrayList<String>() : kept) {
      int cut = t.indexOf('\u0000');
      byUri.put(t.substring(0, cut), t.substring(cut + 1));
    }
    return new Span(
        n,
        done.<Long>getAccumulatorResult(FIRST_START),
        done.getAccumulatorResult(LAST_END),
        byUri);
  }
}
