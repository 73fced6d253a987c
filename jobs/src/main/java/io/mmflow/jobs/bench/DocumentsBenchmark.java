package io.mmflow.jobs.bench;

import io.mmflow.core.config.ModelOptions;
import io.mmflow.core.config.OcrOptions;
import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;

/**
 * {@code bin/mmflow bench documents DIR}: text-layer extraction of real-world PDFs, the documents
 * job against poppler's {@code pdftotext} with the same parallelism, text only (OCR and models off,
 * no page limit). Both sides read every page of every PDF under DIR; the job's time is the span of
 * its results (first start to last end: the JVM and cluster start are not in it), the CLI's the
 * wall time of N processes taking the files from one queue. Two rounds, alternated, each side's
 * faster round.
 */
public final class DocumentsBenchmark {
  private static final int ROUNDS = 2;

  /** What one run measured. */
  public record Figures(int files, int pages, double docsPerSecond, double pdftotextDocsPerSecond) {
    public double ratio() {
      return docsPerSecond / pdftotextDocsPerSecond;
    }
  }

  private DocumentsBenchmark() {}

  public static Figures run(Path input, Configuration base, int parallelism, PrintStream out)
      throws Exception {
    List<Path> pdfs = pdfs(input);
    if (pdfs.isEmpty()) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "no PDFs under "
              + input
              + " (datasets/corpus/fetch-debian-docs.sh fetches a real-world corpus)");
    }
    Path work = Files.createTempDirectory("mmflow-bench-documents");
    Path only = work.resolve("pdfs");
    Files.createDirectories(only);
    for (int i = 0; i < pdfs.size(); i++) {
      // the PDFs alone, so that the job reads what the CLI reads
      Files.createSymbolicLink(only.resolve(i + "-" + pdfs.get(i).getFileName()), pdfs.get(i));
    }
    out.printf(
        Locale.ROOT,
        "bench documents: %d PDFs under %s, parallelism %d%n",
        pdfs.size(),
        input,
        parallelism);
    double job = 0;
    double cli = 0;
    int pages = 0;
    for (int round = 1; round <= ROUNDS; round++) {
      PageSpan.Span span = job(only, base, parallelism);
      double jobRate = pdfs.size() / (Math.max(span.lastEndMs() - span.firstStartMs(), 1) / 1e3);
      pages = span.pages();
      out.printf(
          Locale.ROOT,
          "  mmflow documents job (OCR off), round %d: %.2f docs/s (%d page results)%n",
          round,
          jobRate,
          pages);
      double cliRate = pdftotext(pdfs, work, parallelism);
      out.printf(
          Locale.ROOT,
          "  pdftotext, %d processes, round %d: %.2f docs/s%n",
          parallelism,
          round,
          cliRate);
      job = Math.max(job, jobRate);
      cli = Math.max(cli, cliRate);
    }
    return new Figures(pdfs.size(), pages, job, cli);
  }

  static List<Path> pdfs(Path input) throws IOException {
    try (Stream<Path> files = Files.walk(input)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".pdf"))
          .sorted()
          .toList();
    }
  }

  /** The documents job's extraction over {@code dir}, OCR and models off: its results' span. */
  static PageSpan.Span job(Path dir, Configuration base, int parallelism) throws Exception {
    Configuration config = new Configuration(base);
    config.set(RuntimeOptions.PARALLELISM, parallelism);
    config.set(OcrOptions.ENABLED, false);
    // every page of every PDF, as pdftotext reads them (the job refuses documents over 2,000 pages)
    config.set(OcrOptions.MAX_PAGES, Integer.MAX_VALUE);
    config.set(ModelOptions.SENTIMENT, "");
    return PageSpan.ofJob(
        dir,
        config,
        r ->
            new PageSpan.Page(
                r.provenance().sourceUri(), r.timing().startedAt(), r.timing().finishedAt(), null),
        false,
        "mmflow-bench-documents");
  }

  /** {@code pdftotext -q FILE OUT.txt}, {@code parallelism} processes over one queue: docs/s. */
  static double pdftotext(List<Path> pdfs, Path work, int parallelism) throws Exception {
    ConcurrentLinkedQueue<Path> queue = new ConcurrentLinkedQueue<>(pdfs);
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    try {
      long start = System.nanoTime();
      List<Future<Void>> workers = new ArrayList<>();
      for (int w = 0; w < parallelism; w++) {
        Path outFile = work.resolve("pdftotext-" + w + ".txt");
        workers.add(
            pool.submit(
                () -> {
                  for (Path p = queue.poll(); p != null; p = queue.poll()) {
                    // a PDF poppler cannot read ends with its exit code, as a dead letter would
                    new ProcessBuilder("pdftotext", "-q", p.toString(), outFile.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start()
                        .waitFor();
                  }
                  return null;
                }));
      }
      for (Future<Void> w : workers) {
        w.get();
      }
      return pdfs.size() / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  public static void print(Figures f, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "%d PDFs: the documents job %.2f docs/s, pdftotext %.2f docs/s: ratio %.3f%n",
        f.files(),
        f.docsPerSecond(),
        f.pdftotextDocsPerSecond(),
        f.ratio());
    out.printf(
        Locale.ROOT,
        "RESULT bench=documents files=%d docs_per_s=%.3f pdftotext_docs_per_s=%.3f ratio=%.3f%n",
        f.files(),
        f.docsPerSecond(),
        f.pdftotextDocsPerSecond(),
        f.ratio());
  }
}
