package io.mmflow.jobs.eval;

import io.mmflow.core.config.OcrOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.jobs.documents.DocumentsJob;
import io.mmflow.jobs.runtime.LocalRun;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.CloseableIterator;

/**
 * {@code bin/mmflow eval ocr}: runs the documents job over a folder of page images or PDFs that
 * each have a {@code <name>.gt.txt} truth file beside them, with and without OCR preprocessing, and
 * reports CER and WER per condition (sub-folder) and overall.
 */
public final class OcrEvaluation {
  /** Scores of one condition, or of the whole input. */
  public record Score(
      int pages,
      TextMetrics.Errors cer,
      TextMetrics.Errors wer,
      TextMetrics.Errors cerNoPre,
      TextMetrics.Errors werNoPre,
      double meanConfidence) {}

  /** Per-condition scores and the overall score (key {@code all}). */
  public record Report(Map<String, Score> conditions, Score overall) {}

  private OcrEvaluation() {}

  /** Truth of every input file under {@code input}, keyed by its absolute path. */
  static Map<Path, String> truths(Path input) throws IOException {
    Map<Path, String> truths = new TreeMap<>();
    try (Stream<Path> files = Files.walk(input)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String name = f.getFileName().toString();
        if (name.endsWith(".gt.txt") || name.startsWith(".")) {
          continue;
        }
        Path byStem = f.resolveSibling(stem(name) + ".gt.txt");
        Path byName = f.resolveSibling(name + ".gt.txt");
        Path truth = Files.exists(byName) ? byName : Files.exists(byStem) ? byStem : null;
        if (truth != null) {
          truths.put(f.toAbsolutePath().normalize(), Files.readString(truth));
        }
      }
    }
    return truths;
  }

  private static String stem(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  public static Report run(Path input, Configuration base, PrintStream progress) throws Exception {
    Map<Path, String> truths = truths(input);
    if (truths.isEmpty()) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "no inputs with a <name>.gt.txt truth file under " + input);
    }
    progress.printf("evaluating OCR on %d pages under %s%n", truths.size(), input);
    Map<Path, ModalityResult> withPre = recognize(input, base, true);
    progress.println("  with preprocessing: done");
    Map<Path, ModalityResult> withoutPre = recognize(input, base, false);
    progress.println("  without preprocessing: done");

    Map<String, List<Path>> byCondition = new TreeMap<>();
    for (Path p : truths.keySet()) {
      Path rel = input.toAbsolutePath().normalize().relativize(p.getParent());
      byCondition
          .computeIfAbsent(rel.toString().isEmpty() ? "." : rel.toString(), k -> new ArrayList<>())
          .add(p);
    }
    Map<String, Score> scores = new TreeMap<>();
    for (Map.Entry<String, List<Path>> c : byCondition.entrySet()) {
      scores.put(c.getKey(), score(c.getValue(), truths, withPre, withoutPre));
    }
    return new Report(scores, score(new ArrayList<>(truths.keySet()), truths, withPre, withoutPre));
  }

  private static Score score(
      List<Path> files,
      Map<Path, String> truths,
      Map<Path, ModalityResult> withPre,
      Map<Path, ModalityResult> withoutPre) {
    TextMetrics.Errors cer = TextMetrics.Errors.NONE;
    TextMetrics.Errors wer = TextMetrics.Errors.NONE;
    TextMetrics.Errors cerNo = TextMetrics.Errors.NONE;
    TextMetrics.Errors werNo = TextMetrics.Errors.NONE;
    double confidence = 0;
    for (Path f : files) {
      String truth = truths.get(f);
      ModalityResult a = withPre.get(f);
      ModalityResult b = withoutPre.get(f);
      cer = cer.plus(TextMetrics.characterErrors(truth, a == null ? "" : a.text()));
      wer = wer.plus(TextMetrics.wordErrors(truth, a == null ? "" : a.text()));
      cerNo = cerNo.plus(TextMetrics.characterErrors(truth, b == null ? "" : b.text()));
      werNo = werNo.plus(TextMetrics.wordErrors(truth, b == null ? "" : b.text()));
      confidence += a == null || a.confidence() == null ? 0 : a.confidence();
    }
    return new Score(
        files.size(), cer, wer, cerNo, werNo, files.isEmpty() ? 0 : confidence / files.size());
  }

  /** Runs the documents job (no sinks) and collects each input's document result. */
  static Map<Path, ModalityResult> recognize(Path input, Configuration base, boolean preprocess)
      throws Exception {
    Configuration config = new Configuration(base);
    config.set(OcrOptions.PREPROCESS, preprocess);
    Map<Path, ModalityResult> out = new HashMap<>();
    try (CloseableIterator<ModalityResult> it =
        LocalRun.extraction(input, config, DocumentsJob::pipeline)
            .streams()
            .results()
            .executeAndCollect("mmflow-eval-ocr")) {
      while (it.hasNext()) {
        ModalityResult r = it.next();
        if (r.partId().equals("0") && r.provenance().sourceUri() != null) {
          out.put(
              Path.of(java.net.URI.create(r.provenance().sourceUri())).toAbsolutePath().normalize(),
              r);
        }
      }
    }
    return out;
  }

  public static void print(Report report, PrintStream out) {
    out.printf(
        java.util.Locale.ROOT,
        "%n%-16s %6s %8s %8s %10s %10s %9s%n",
        "condition",
        "pages",
        "CER",
        "WER",
        "CER(nopre)",
        "WER(nopre)",
        "mean conf");
    report.conditions().forEach((name, s) -> row(out, name, s));
    row(out, "all", report.overall());
    Score all = report.overall();
    out.printf(
        java.util.Locale.ROOT,
        "RESULT eval=ocr pages=%d cer=%.4f wer=%.4f cer_nopre=%.4f wer_nopre=%.4f%n",
        all.pages(),
        all.cer().rate(),
        all.wer().rate(),
        all.cerNoPre().rate(),
        all.werNoPre().rate());
  }

  private static void row(PrintStream out, String name, Score s) {
    out.printf(
        java.util.Locale.ROOT,
        "%-16s %6d %8.4f %8.4f %10.4f %10.4f %9.3f%n",
        name,
        s.pages(),
        s.cer().rate(),
        s.wer().rate(),
        s.cerNoPre().rate(),
        s.werNoPre().rate(),
        s.meanConfidence());
  }
}
