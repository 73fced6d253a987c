package io.mmflow.jobs.bench;

import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.Task;
import io.mmflow.datasets.ocr.OcrPageGenerator;
import io.mmflow.model.ocr.OcrSettings;
import io.mmflow.operators.preprocess.image.ImagePages;
import io.mmflow.operators.preprocess.ocr.GrayImage;
import io.mmflow.operators.preprocess.ocr.OcrPreprocessing;
import io.mmflow.operators.preprocess.ocr.OcrPreprocessingOptions;
import io.mmflow.operators.preprocess.page.Page;
import io.mmflow.operators.preprocess.page.PageLimits;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;

/**
 * {@code bin/mmflow bench ocr}: pages per second of the documents job's OCR stage against the
 * {@code tesseract} command-line tool on the same page images with the same parallelism, in one
 * run; and the job at parallelism 1 against 2.
 *
 * <p>The job's rate is pages divided by the span from the first page's start to the last page's end
 * (from the results' timing), so the MiniCluster's start-up is left out; it includes decoding,
 * preprocessing and OCR. The CLI gets its best case: P processes, each given a share of the pages
 * as a list file, so it loads its model once per process, the shares balanced by file size ({@link
 * #balancedShares}); its rate is pages over the wall time. The comparison at parallelism P runs
 * twice, job and CLI alternated, and each side's faster run counts. The CLI also runs once on the
 * pages as the job hands them to Tesseract ({@link #preparedPages}), which tells what the job costs
 * besides Tesseract.
 */
public final class OcrBenchmark {
  /** The page images it reads, by file name ending. */
  static final List<String> IMAGE_SUFFIXES =
      List.of(".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp");

  /** The measured figures. */
  public record Result(
      int pages,
      double pagesPerSecondP1,
      double pagesPerSecond,
      double tesseractPagesPerSecondP1,
      double tesseractPagesPerSecond,
      double tesseractPreparedPagesPerSecond) {
    public double ratio() {
      return pagesPerSecond / tesseractPagesPerSecond;
    }

    /**
     * The job against the CLI given what the job gives Tesseract (each page after the job's
     * preprocessing, cut to its content box): what the job costs besides Tesseract itself.
     */
    public double ratioPrepared() {
      return pagesPerSecond / tesseractPreparedPagesPerSecond;
    }

    public double scaling() {
      return pagesPerSecond / pagesPerSecondP1;
    }

    /** The CLI's own scaling on this machine: the ceiling the cores allow. */
    public double tesseractScaling() {
      return tesseractPagesPerSecond / tesseractPagesPerSecondP1;
    }
  }

  private OcrBenchmark() {}

  public static Result run(Path input, Configuration base, int parallelism, PrintStream out)
      throws Exception {
    List<Path> images = images(input);
    if (images.isEmpty()) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID, "no page images (png, jpg, tif, ...) under " + input);
    }
    out.printf(
        Locale.ROOT,
        "%d page images under %s; parallelism 1 and %d%n",
        images.size(),
        input,
        parallelism);
    double p1 = jobPagesPerSecond(input, base, 1, images.size());
    out.printf(Locale.ROOT, "  mmflow documents job, parallelism 1: %.2f pages/s%n", p1);
    double pn = jobPagesPerSecond(input, base, parallelism, images.size());
    out.printf(
        Locale.ROOT, "  mmflow documents job, parallelism %d: %.2f pages/s%n", parallelism, pn);
    double cli1 = tesseractPagesPerSecond(images, OcrSettings.from(base), 1, out);
    out.printf(Locale.ROOT, "  tesseract CLI, 1 process:            %.2f pages/s%n", cli1);
    double cli = tesseractPagesPerSecond(images, OcrSettings.from(base), parallelism, out);
    out.printf(
        Locale.ROOT, "  tesseract CLI, %d processes:          %.2f pages/s%n", parallelism, cli);
    // A second round of the comparison, alternated with the first, and each side's faster round:
    // on a shared 2-vCPU machine one run of either side moves by up to 10% with what else runs
    // there, and both sides get the same treatment.
    double pnAgain = jobPagesPerSecond(input, base, parallelism, images.size());
    out.printf(
        Locale.ROOT,
        "  mmflow documents job, parallelism %d, again: %.2f pages/s%n",
        parallelism,
        pnAgain);
    double cliAgain = tesseractPagesPerSecond(images, OcrSettings.from(base), parallelism, out);
    out.printf(
        Locale.ROOT,
        "  tesseract CLI, %d processes, again:   %.2f pages/s%n",
        parallelism,
        cliAgain);
    pn = Math.max(pn, pnAgain);
    cli = Math.max(cli, cliAgain);
    Path prepared = Files.createTempDirectory("mmflow-bench-prepared");
    try {
      List<Path> preparedImages = preparedPages(images, base, prepared);
      double cliPrepared =
          tesseractPagesPerSecond(preparedImages, OcrSettings.from(base), parallelism, out)
              * images.size()
              / preparedImages.size();
      out.printf(
          Locale.ROOT,
          "  tesseract CLI, %d processes, on the pages as the job gives them to Tesseract"
              + " (preprocessed, cut to their content): %.2f pages/s%n",
          parallelism,
          cliPrepared);
      return new Result(images.size(), p1, pn, cli1, cli, cliPrepared);
    } finally {
      try (Stream<Path> files = Files.walk(prepared)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /**
   * Each page of {@code images} as the job hands it to Tesseract: decoded as the job decodes it
   * (every frame, the resolution from its metadata), through the configured preprocessing, cut to
   * its content box; written to {@code dir} as PNG with its resolution, in the same order.
   */
  static List<Path> preparedPages(List<Path> images, Configuration base, Path dir)
      throws IOException {
    PageLimits limits = PageLimits.from(base);
    OcrPreprocessing preprocessing = OcrPreprocessingOptions.from(base);
    List<Path> written = new ArrayList<>();
    for (Path image : images) {
      List<Page> pages = new ArrayList<>();
      ImagePages.split(Files.readAllBytes(image), limits, pages::add);
      for (Page page : pages) {
        OcrPreprocessing.Result r = preprocessing.apply(GrayImage.from(page.image()), page.dpi());
        BufferedImage out = r.image().crop(r.content()).toBufferedImage();
        Path file = dir.resolve(String.format(Locale.ROOT, "page-%05d.png", written.size() + 1));
        Files.write(file, OcrPageGenerator.encodePng(out, r.dpi() > 0 ? r.dpi() : page.dpi()));
        written.add(file);
      }
    }
    return written;
  }

  static List<Path> images(Path input) throws IOException {
    try (Stream<Path> files = Files.walk(input)) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              f ->
                  IMAGE_SUFFIXES.stream()
                      .anyMatch(
                          s -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(s)))
          .sorted()
          .toList();
    }
  }

  /**
   * The job's pages per second over the pages in {@code input}, from the first OCR start to the
   * last OCR end that {@link PageSpan} saw.
   */
  static double jobPagesPerSecond(Path input, Configuration base, int parallelism, int expected)
      throws Exception {
    return jobPages(input, base, parallelism, expected, false).pagesPerSecond(expected);
  }

  /** The documents job over the pages in {@code input}: its span and, if asked, its page texts. */
  static PageSpan.Span jobPages(
      Path input, Configuration base, int parallelism, int expected, boolean keepTexts)
      throws Exception {
    Configuration config = new Configuration(base);
    config.set(RuntimeOptions.PARALLELISM, parallelism);
    PageSpan.Span span =
        PageSpan.ofJob(
            input,
            config,
            r ->
                r.task() == Task.OCR
                    ? new PageSpan.Page(
                        r.provenance().sourceUri(),
                        r.timing().startedAt(),
                        r.timing().finishedAt(),
                        r.text())
                    : null,
            keepTexts,
            "mmflow-bench-ocr");
    return checked(span, expected, "the job");
  }

  /** A span that saw pages; says how many of the expected gave no text. */
  static PageSpan.Span checked(PageSpan.Span span, int expected, String side) {
    if (span.pages() == 0) {
      throw new MmflowException(
          ErrorCode.INTERNAL_ERROR, side + " read no text from any of " + expected + " pages");
    }
    if (span.pages() != expected) {
      // a page with no text at all makes its image a dead letter (MMF-1012); it was still OCR'd
      System.out.printf("    (%d of %d pages gave no text)%n", expected - span.pages(), expected);
    }
    return span;
  }

  /**
   * Splits the pages among {@code parts} tesseract processes so that they finish together, as far
   * as can be told beforehand: largest file first, each to the process with the fewest bytes so far
   * (longest-processing-time-first, with the file size standing for the page's OCR time); each
   * share in path order. A process is given its list once, so it cannot take over pages from a
   * slower one the way the job's source hands out files on request: dealing the sorted pages out in
   * turn left one process idle for 10% of a 180-page run at the end, which would have been counted
   * against the CLI.
   */
  static List<List<Path>> balancedShares(List<Path> images, int parts) throws IOException {
    List<Path> bySize = new ArrayList<>(images);
    Map<Path, Long> sizes = new HashMap<>();
    for (Path image : images) {
      sizes.put(image, Files.size(image));
    }
    bySize.sort(
        Comparator.comparing((Path p) -> sizes.get(p))
            .reversed()
            .thenComparing(Comparator.naturalOrder()));
    List<List<Path>> shares = new ArrayList<>();
    long[] load = new long[parts];
    for (int p = 0; p < parts; p++) {
      shares.add(new ArrayList<>());
    }
    for (Path image : bySize) {
      int least = 0;
      for (int p = 1; p < parts; p++) {
        if (load[p] < load[least]) {
          least = p;
        }
      }
      shares.get(least).add(image);
      load[least] += sizes.get(image);
    }
    shares.forEach(Collections::sort);
    return shares;
  }

  static double tesseractPagesPerSecond(
      List<Path> images, OcrSettings settings, int parallelism, PrintStream out) throws Exception {
    Path work = Files.createTempDirectory("mmflow-bench-tesseract");
    List<Path> lists = new ArrayList<>();
    List<List<Path>> shares = balancedShares(images, parallelism);
    for (int p = 0; p < parallelism; p++) {
      if (shares.get(p).isEmpty()) {
        continue; // fewer pages than processes
      }
      List<String> mine = new ArrayList<>();
      for (Path image : shares.get(p)) {
        mine.add(image.toAbsolutePath().toString());
      }
      lists.add(Files.write(work.resolve("list-" + p + ".txt"), mine));
    }
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    try {
      long start = System.nanoTime();
      List<Future<Integer>> runs = new ArrayList<>();
      for (int p = 0; p < lists.size(); p++) {
        Path list = lists.get(p);
        Path outBase = work.resolve("out-" + p);
        runs.add(
            pool.submit(
                () -> {
                  ProcessBuilder pb =
                      TesseractCli.command(list.toString(), outBase.toString(), settings);
                  pb.redirectErrorStream(true)
                      .redirectOutput(work.resolve("log-" + list.getFileName()).toFile());
                  return pb.start().waitFor();
                }));
      }
      for (Future<Integer> run : runs) {
        if (run.get() != 0) {
          throw new MmflowException(
              ErrorCode.INTERNAL_ERROR, "the tesseract CLI failed; see logs in " + work);
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return images.size() / seconds;
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof IOException) {
        throw new MmflowException(
            ErrorCode.CONFIGURATION_INVALID,
            "cannot run the tesseract CLI (apt-get install tesseract-ocr): "
                + e.getCause().getMessage());
      }
      throw e;
    } finally {
      pool.shutdownNow();
    }
  }

  public static void print(Result r, int parallelism, PrintStream out) {
    out.printf(Locale.ROOT, "%n%-40s %10s%n", "", "pages/s");
    out.printf(
        Locale.ROOT, "%-40s %10.2f%n", "mmflow documents job, parallelism 1", r.pagesPerSecondP1());
    out.printf(
        Locale.ROOT,
        "%-40s %10.2f%n",
        "mmflow documents job, parallelism " + parallelism,
        r.pagesPerSecond());
    out.printf(
        Locale.ROOT, "%-40s %10.2f%n", "tesseract CLI, 1 process", r.tesseractPagesPerSecondP1());
    out.printf(
        Locale.ROOT,
        "%-40s %10.2f%n",
        "tesseract CLI, " + parallelism + " processes",
        r.tesseractPagesPerSecond());
    out.printf(
        Locale.ROOT,
        "%-40s %10.2f%n",
        "tesseract CLI, " + parallelism + " processes, job's input",
        r.tesseractPreparedPagesPerSecond());
    out.printf(Locale.ROOT, "%-40s %10.2f%n", "ratio job / tesseract", r.ratio());
    out.printf(
        Locale.ROOT, "%-40s %10.2f%n", "ratio job / tesseract on job's input", r.ratioPrepared());
    out.printf(
        Locale.ROOT, "%-40s %10.2f%n", "scaling parallelism " + parallelism + " / 1", r.scaling());
    out.printf(
        Locale.ROOT,
        "%-40s %10.2f%n",
        "tesseract CLI scaling " + parallelism + " / 1",
        r.tesseractScaling());
    out.printf(
        Locale.ROOT,
        "RESULT bench=ocr pages=%d pages_per_s=%.3f tesseract_pages_per_s=%.3f ratio=%.3f"
            + " scaling_p2_p1=%.3f tesseract_scaling_p2_p1=%.3f ratio_job_input=%.3f%n",
        r.pages(),
        r.pagesPerSecond(),
        r.tesseractPagesPerSecond(),
        r.ratio(),
        r.scaling(),
        r.tesseractScaling(),
        r.ratioPrepared());
  }
}
