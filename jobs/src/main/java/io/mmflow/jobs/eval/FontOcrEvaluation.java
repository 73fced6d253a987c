package io.mmflow.jobs.eval;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.datasets.ocr.FontPages;
import io.mmflow.jobs.bench.TesseractCli;
import io.mmflow.model.ocr.OcrSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.flink.configuration.Configuration;

/**
 * {@code bin/mmflow eval ocr --fonts}: OCR accuracy per typeface on clean 300-DPI pages of real
 * sentences ({@link FontPages}: DejaVu, Liberation and FreeFont, serif, sans and mono, 9 to 12 pt):
 * the documents job with and without its preprocessing ({@link OcrEvaluation}), and the anchor, the
 * {@code tesseract} command-line tool alone on the same images with the same language and page
 * segmentation mode, in the same run.
 */
public final class FontOcrEvaluation {
  /** The job's scores per typeface (and overall) and the CLI's character errors per typeface. */
  public record Report(
      OcrEvaluation.Report job,
      Map<String, TextMetrics.Errors> cli,
      TextMetrics.Errors cliAll,
      List<String> missing) {}

  private FontOcrEvaluation() {}

  public static Report run(
      Path corpus, int pagesPerTypeface, Configuration base, PrintStream progress)
      throws Exception {
    List<String> missing =
        FontPages.TYPEFACES.stream()
            .filter(t -> !t.installed())
            .map(t -> t.name() + " (Debian package " + t.debianPackage() + ")")
            .toList();
    Path dir = Files.createTempDirectory("mmflow-ocr-fonts");
    List<FontPages.Typeface> written =
        FontPages.generate(dir, pagesPerTypeface, FontPages.sentences(corpus, 42L));
    if (written.isEmpty()) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "none of the typefaces is installed: apt-get install "
              + String.join(" ", FontPages.PACKAGES));
    }
    progress.printf(
        "generated %d pages of real sentences in %d typefaces (9-12 pt, 300 DPI) in %s%n",
        pagesPerTypeface * written.size(), written.size(), dir);
    for (String m : missing) {
      progress.println("  not installed, left out: " + m);
    }
    OcrEvaluation.Report job = OcrEvaluation.run(dir, base, progress);
    Map<String, TextMetrics.Errors> cli = tesseract(dir, OcrSettings.from(base));
    progress.println("  tesseract CLI: done");
    TextMetrics.Errors all = TextMetrics.Errors.NONE;
    for (TextMetrics.Errors e : cli.values()) {
      all = all.plus(e);
    }
    return new Report(job, cli, all, missing);
  }

  /**
   * The CLI on every page, two at a time, one OpenMP thread each: its character errors summed per
   * typeface folder.
   */
  static Map<String, TextMetrics.Errors> tesseract(Path dir, OcrSettings settings)
      throws Exception {
    Map<Path, String> truths = OcrEvaluation.truths(dir);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Map<Path, Future<String>> read = new TreeMap<>();
      for (Path page : truths.keySet()) {
        read.put(page, pool.submit(() -> cli(page, settings)));
      }
      Map<String, TextMetrics.Errors> out = new TreeMap<>();
      for (Map.Entry<Path, Future<String>> e : read.entrySet()) {
        String typeface = e.getKey().getParent().getFileName().toString();
        out.merge(
            typeface,
            TextMetrics.characterErrors(truths.get(e.getKey()), e.getValue().get()),
            TextMetrics.Errors::plus);
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private static String cli(Path page, OcrSettings settings) throws IOException {
    ProcessBuilder pb = TesseractCli.command(page.toString(), "stdout", settings);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) {
        throw new MmflowException(ErrorCode.INTERNAL_ERROR, "the tesseract CLI failed on " + page);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return text;
  }

  public static void print(Report r, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "%n%-18s %6s %8s %8s %10s %14s%n",
        "typeface",
        "pages",
        "CER",
        "WER",
        "CER(nopre)",
        "CER(tesseract)");
    List<String> rows = new ArrayList<>(r.job().conditions().keySet());
    for (String name : rows) {
      row(out, name, r.job().conditions().get(name), r.cli().get(name));
    }
    row(out, "all", r.job().overall(), r.cliAll());
    String worst =
        rows.stream()
            .max(
                java.util.Comparator.comparingDouble(n -> r.job().conditions().get(n).cer().rate()))
            .orElse("-");
    OcrEvaluation.Score all = r.job().overall();
    out.printf(
        Locale.ROOT,
        "RESULT eval=ocr-fonts pages=%d typefaces=%d cer=%.4f wer=%.4f cer_nopre=%.4f"
            + " cer_tesseract=%.4f worst=%s worst_cer=%.4f%n",
        all.pages(),
        rows.size(),
        all.cer().rate(),
        all.wer().rate(),
        all.cerNoPre().rate(),
        r.cliAll().rate(),
        worst,
        rows.isEmpty() ? 0 : r.job().conditions().get(worst).cer().rate());
  }

  private static void row(
      PrintStream out, String name, OcrEvaluation.Score s, TextMetrics.Errors cli) {
    out.printf(
        Locale.ROOT,
        "%-18s %6d %8.4f %8.4f %10.4f %14.4f%n",
        name,
        s.pages(),
        s.cer().rate(),
        s.wer().rate(),
        s.cerNoPre().rate(),
        cli == null ? Double.NaN : cli.rate());
  }
}
