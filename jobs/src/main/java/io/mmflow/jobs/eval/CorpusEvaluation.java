package io.mmflow.jobs.eval;

import io.mmflow.connectors.source.GlobMatcher;
import io.mmflow.core.config.SourceOptions;
import io.mmflow.core.model.AttributeKeys;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.jobs.documents.DocumentsJob;
import io.mmflow.jobs.runtime.LibraryLog;
import io.mmflow.jobs.runtime.LocalRun;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.CloseableIterator;

/**
 * {@code mmflow eval corpus DIR}: the documents job (text layers, Tika, OCR; no models) over a
 * folder of real-world files nobody here wrote (datasets/corpus fetches one from Debian's
 * documentation packages), and what became of every file: per media type, the files, their pages,
 * results, dead letters by code; the libraries' warnings, pages a second and the peak heap; whether
 * the job failed, and how many files ended neither as results nor as a dead letter (lost).
 */
public final class CorpusEvaluation {
  private CorpusEvaluation() {}

  /** What one media type's files came to. */
  public static final class Kind {
    public final Set<String> files = new HashSet<>();
    public long pages;
    public long results;
    public final Map<String, Long> deadLetters = new TreeMap<>();
  }

  /** The evaluation's figures. */
  public record Report(
      long files,
      Map<String, Kind> byType,
      long done,
      long deadLettered,
      long lost,
      int jobFailures,
      String failure,
      long libraryWarnings,
      double seconds,
      long peakHeapMb) {

    public long pages() {
      return byType.values().stream().mapToLong(k -> k.pages).sum();
    }
  }

  public static Report run(Path dir, Configuration config, PrintStream out) throws Exception {
    // the files the source reads: those its include and exclude globs select
    GlobMatcher globs =
        new GlobMatcher(config.get(SourceOptions.INCLUDE), config.get(SourceOptions.EXCLUDE));
    long files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(f -> globs.selected(dir.relativize(f).toString()))
              .count();
    }
    out.printf("eval corpus: %d files under %s%n", files, dir);
    LibraryLog libraries = LibraryLog.mark();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    Map<String, Kind> byType = new TreeMap<>();
    Set<String> done = new HashSet<>();
    Set<String> deadLettered = new HashSet<>();
    int failures = 0;
    String failure = null;
    long start = System.nanoTime();
    try {
      LocalRun<io.mmflow.jobs.pipeline.PartPipeline.Streams> run =
          LocalRun.extraction(dir, config, DocumentsJob::pipeline);
      DataStream<String> outcomes =
          run.streams()
              .results()
              .map(CorpusEvaluation::outcome)
              .returns(Types.STRING)
              .union(
                  run.streams().deadLetters().map(CorpusEvaluation::outcome).returns(Types.STRING));
      List<String[]> rows = new ArrayList<>();
      Map<String, String> typeOf = new HashMap<>();
      try (CloseableIterator<String> it = outcomes.executeAndCollect("mmflow-eval-corpus")) {
        while (it.hasNext()) {
          String[] f = it.next().split("\t", -1);
          rows.add(f);
          if (!f[1].isEmpty()) {
            typeOf.putIfAbsent(f[2], f[1]); // a page's or a model's result counts under its file's
          }
        }
      }
      for (String[] f : rows) {
        Kind kind = byType.computeIfAbsent(typeOf.getOrDefault(f[2], "?"), t -> new Kind());
        kind.files.add(f[2]);
        if (f[0].equals("R")) {
          kind.results++;
          kind.pages += Long.parseLong(f[3]);
          done.add(f[2]);
        } else {
          kind.deadLetters.merge(f[3], 1L, Long::sum);
          deadLettered.add(f[2]);
        }
      }
    } catch (Exception e) {
      failures = 1;
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      failure = root.getClass().getSimpleName() + ": " + root.getMessage();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Set<String> accounted = new HashSet<>(done);
    accounted.addAll(deadLettered);
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    deadLettered.removeAll(done); // a file with results and a dead letter of one part is done
    return new Report(
        files,
        byType,
        done.size(),
        deadLettered.size(),
        Math.max(0, files - accounted.size()),
        failures,
        failure,
        libraries == null ? -1 : libraries.count(),
        seconds,
        peak >> 20);
  }

  /**
   * A result of a whole file ({@code R media uri pages}) or a dead letter ({@code D media uri
   * code}): the results of its parts, pages and models, counted as results of the file's type.
   */
  static String outcome(ModalityResult r) {
    String type = r.attributes().getOrDefault(AttributeKeys.MEDIA_TYPE, "");
    long pages = r.partId().equals("0") && r.pageCount() != null ? r.pageCount() : 0;
    return "R\t" + type + "\t" + r.provenance().sourceUri() + "\t" + pages;
  }

  static String outcome(DeadLetter d) {
    return "D\t"
        + (d.mediaType() == null ? "" : d.mediaType())
        + "\t"
        + d.sourceUri()
        + "\t"
        + d.code().code()
        + " "
        + d.code().name();
  }

  public static void print(Report r, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "%n%-44s %6s %7s %8s %s%n",
        "media type",
        "files",
        "pages",
        "results",
        "dead letters by code");
    r.byType()
        .forEach(
            (type, k) ->
                out.printf(
                    Locale.ROOT,
                    "%-44s %6d %7d %8d %s%n",
                    type,
                    k.files.size(),
                    k.pages,
                    k.results,
                    k.deadLetters.isEmpty() ? "-" : k.deadLetters));
    out.printf(
        Locale.ROOT,
        "%d files: %d done, %d dead letters, %d lost; %d pages in %.1f s (%.2f pages/s);"
            + " peak heap %d MB; library warnings %s%n",
        r.files(),
        r.done(),
        r.deadLettered(),
        r.lost(),
        r.pages(),
        r.seconds(),
        r.pages() / Math.max(r.seconds(), 1e-9),
        r.peakHeapMb(),
        r.libraryWarnings() < 0 ? "(not counted: run through bin/mmflow)" : r.libraryWarnings());
    if (r.failure() != null) {
      out.println("the job failed: " + r.failure());
    }
    out.printf(
        Locale.ROOT,
        "RESULT eval=corpus files=%d done=%d dead_letters=%d job_failures=%d lost=%d pages=%d"
            + " pages_per_s=%.2f peak_heap_mb=%d library_warnings=%d%n",
        r.files(),
        r.done(),
        r.deadLettered(),
        r.jobFailures(),
        r.lost(),
        r.pages(),
        r.pages() / Math.max(r.seconds(), 1e-9),
        r.peakHeapMb(),
        r.libraryWarnings());
  }
}
