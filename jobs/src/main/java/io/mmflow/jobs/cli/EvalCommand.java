package io.mmflow.jobs.cli;

import io.mmflow.datasets.ocr.OcrPageGenerator;
import io.mmflow.jobs.eval.OcrEvaluation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate a stage against ground truth.",
      "ocr: runs the documents job over page images or PDFs with a <name>.gt.txt beside each,",
      "with and without OCR preprocessing; prints CER and WER per condition (sub-folder)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  mmflow eval ocr                       # on generated pages (datasets' OCR generator)",
      "  mmflow eval ocr --input ~/scans-with-truth",
      "  mmflow eval ocr -D mmflow.ocr.page-segmentation-mode=6"
    })
final class EvalCommand implements Callable<Integer> {
  /** What can be evaluated. */
  enum Target {
    ocr
  }

  @Parameters(
      index = "0",
      paramLabel = "WHAT",
      description = "What to evaluate: ${COMPLETION-CANDIDATES}.")
  Target what;

  @Option(
      names = "--input",
      paramLabel = "DIR",
      description = "Folder of inputs with <name>.gt.txt truth files; default: generated pages.")
  Path input;

  @Option(
      names = "--pages-per-condition",
      paramLabel = "N",
      defaultValue = "6",
      description =
          "Pages generated per condition when no --input is given (default ${DEFAULT-VALUE}).")
  int pagesPerCondition;

  @Mixin ConfigMixin config;

  @Override
  public Integer call() throws Exception {
    Path dir = input;
    if (dir == null) {
      dir = Files.createTempDirectory("mmflow-ocr-pages");
      OcrPageGenerator.generate(dir, pagesPerCondition, 42L);
      System.out.println("generated " + pagesPerCondition + " pages per condition in " + dir);
    }
    OcrEvaluation.print(OcrEvaluation.run(dir, config.load(Map.of()), System.out), System.out);
    return 0;
  }
}
