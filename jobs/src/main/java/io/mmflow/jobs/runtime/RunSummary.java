package io.mmflow.jobs.runtime;

import io.mmflow.operators.metrics.RemoteCosts;
import io.mmflow.operators.metrics.RunCounters;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run did, from the job's accumulators: items read, items done, results written, pages, dead
 * letters by code, throughput and elapsed time.
 *
 * @param items inputs read by the source
 * @param itemsDone inputs that produced their results
 * @param results results produced (documents, and pages of PDFs and images)
 * @param pages pages of PDFs and images
 * @param pagesOcr pages that went through OCR
 * @param deadLetters dead letters produced
 * @param deadLettersByCode dead letters per "MMF-nnnn NAME"
 * @param fused fused results emitted (feeds job)
 * @param lateResults results that came after their fusion window closed (feeds job)
 * @param elapsed wall time of the job
 */
public record RunSummary(
    long items,
    long itemsDone,
    long results,
    long pages,
    long pagesOcr,
    long deadLetters,
    Map<String, Long> deadLettersByCode,
    long fused,
    long lateResults,
    Map<String, RemoteCosts.Totals> remoteCosts,
    Duration elapsed) {

  public RunSummary {
    deadLettersByCode = new TreeMap<>(deadLettersByCode);
    remoteCosts = new TreeMap<>(remoteCosts);
  }

  @SuppressWarnings("unchecked")
  public static RunSummary fromAccumulators(Map<String, Object> acc, Duration elapsed) {
    Object byCode = acc.getOrDefault(RunCounters.DEAD_LETTERS_BY_CODE, Map.of());
    return new RunSummary(
        asLong(acc.get(RunCounters.ITEMS_READ)),
        asLong(acc.get(RunCounters.ITEMS_DONE)),
        asLong(acc.get(RunCounters.RESULTS)),
        asLong(acc.get(RunCounters.PAGES)),
        asLong(acc.get(RunCounters.PAGES_OCR)),
        asLong(acc.get(RunCounters.DEAD_LETTERS)),
        byCode instanceof Map<?, ?> m ? (Map<String, Long>) m : Map.of(),
        asLong(acc.get(RunCounters.FUSED)),
        asLong(acc.get(RunCounters.LATE_RESULTS)),
        acc.get(RemoteCosts.NAME) instanceof Map<?, ?> costs
            ? (Map<String, RemoteCosts.Totals>) costs
            : Map.of(),
        elapsed);
  }

  private static long asLong(Object o) {
    return o instanceof Number n ? n.longValue() : 0L;
  }

  /** Every input ended with its results or as a dead letter. */
  public boolean accountedFor() {
    return items == itemsDone + deadLetters;
  }

  public double itemsPerSecond() {
    double s = Math.max(elapsed.toMillis(), 1) / 1000.0;
    return items / s;
  }

  /** A one-line progress report. */
  public String progressLine() {
    return String.format(
        "  … read %d · done %d · pages %d (OCR %d) · dead letters %d · %.1f items/s · %.1f s",
        items,
        itemsDone,
        pages,
        pagesOcr,
        deadLetters,
        itemsPerSecond(),
        elapsed.toMillis() / 1000.0);
  }

  public void print(PrintStream out, String job) {
    out.printf("%nmmflow %s finished in %.1f s%n", job, elapsed.toMillis() / 1000.0);
    out.printf("  %-18s %8d%n", "items read", items);
    out.printf("  %-18s %8d%n", "items done", itemsDone);
    if (pages > 0) {
      out.printf("  %-18s %8d   (%d through OCR)%n", "pages", pages, pagesOcr);
    }
    out.printf("  %-18s %8d%n", "results written", results);
    out.printf("  %-18s %8d%n", "dead letters", deadLetters);
    deadLettersByCode.forEach((code, n) -> out.printf("    %-34s %4d%n", code, n));
    if (fused > 0 || lateResults > 0) {
      out.printf("  %-18s %8d%n", "fused views", fused);
      out.printf("  %-18s %8d   (kept, not fused)%n", "late results", lateResults);
    }
    if (!remoteCosts.isEmpty()) {
      double usd = remoteCosts.values().stream().mapToDouble(t -> t.usd).sum();
      out.printf(
          java.util.Locale.ROOT, "  %-18s %12.6f USD   (in job_costs)%n", "remote cost", usd);
      remoteCosts.forEach((model, t) -> out.printf("    %-24s %s%n", model, t));
    }
    out.printf("  %-18s %8.1f items/s%n", "throughput", itemsPerSecond());
    if (!accountedFor()) {
      out.printf(
          "  WARNING: %d items read but %d done + %d dead letters%n",
          items, itemsDone, deadLetters);
    }
  }
}
