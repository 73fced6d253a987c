package io.mmflow.jobs.cli;

import io.mmflow.datasets.ocr.OcrPageGenerator;
import io.mmflow.jobs.eval.CorpusEvaluation;
import io.mmflow.jobs.eval.FontOcrEvaluation;
import io.mmflow.jobs.eval.OcrEvaluation;
import io.mmflow.jobs.eval.SentimentCrossDomain;
import io.mmflow.jobs.eval.SentimentEvaluation;
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
      "with and without OCR preprocessing; prints CER and WER per condition (sub-folder).",
      "sentiment: the sentiment model (mmflow.models.sentiment) on the held-out split of",
      "datasets/sentiment, or on a file of sentence<TAB>label lines (1 positive, 0 negative);",
      "prints accuracy and the calibration error before and after calibration.",
      "corpus: the documents job over a folder of real-world files; per media type files,",
      "pages, results and dead letters by code; job failures and files lost (datasets/corpus)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  mmflow eval ocr                       # on generated pages (datasets' OCR generator)",
      "  mmflow eval ocr --input ~/scans-with-truth",
      "  mmflow eval ocr -D mmflow.ocr.page-segmentation-mode=6",
      "  mmflow eval ocr --fonts               # per typeface, against the tesseract CLI",
      "  mmflow eval sentiment                 # held-out split of datasets/sentiment",
      "  mmflow eval sentiment --cross-domain  # trained on product reviews, tested on films",
      "  mmflow eval sentiment --input reviews.tsv -D mmflow.models.registry=my-models.yaml",
      "  datasets/corpus/fetch-debian-docs.sh && mmflow eval corpus ~/.cache/mmflow/corpus/files"
    })
final class EvalCommand implements Callable<Integer> {
  /** What can be evaluated. */
  enum Target {
    corpus,
    ocr,
    sentiment
  }

  @Parameters(
      index = "0",
      paramLabel = "WHAT",
      description = "What to evaluate: ${COMPLETION-CANDIDATES}.")
  Target what;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "DIR",
      description = "corpus: the folder of real-world files (or --input).")
  Path dir;

  @Option(
      names = "--input",
      paramLabel = "PATH",
      description = {
        "ocr: folder of inputs with <name>.gt.txt truth files; default: generated pages.",
        "sentiment: a sentence<TAB>label file; default: the held-out split."
      })
  Path input;

  @Option(
      names = "--pages-per-condition",
      paramLabel = "N",
      defaultValue = "6",
      description =
          "Pages generated per condition (or typeface, with --fonts) when no --input is given"
              + " (default ${DEFAULT-VALUE}).")
  int pagesPerCondition;

  @Option(
      names = "--fonts",
      description = {
        "ocr: pages of real sentences in the typefaces of three Debian font packages (DejaVu,",
        "Liberation, FreeFont; serif, sans, mono; 9-12 pt, 300 DPI), scored per typeface, with",
        "the tesseract CLI alone on the same pages as the anchor."
      })
  boolean fonts;

  @Option(
      names = "--cross-domain",
      description = {
        "sentiment: train the default model's recipe on one kind of review (amazon: products,",
        "imdb: films) and test it on the other, with and without the lexicon."
      })
  boolean crossDomain;

  @Mixin ConfigMixin config;

  @Override
  public Integer call() throws Exception {
    if (what == Target.corpus) {
      Path corpus = dir != null ? dir : input;
      if (corpus == null || !Files.isDirectory(corpus)) {
        throw new io.mmflow.core.error.MmflowException(
            io.mmflow.core.error.ErrorCode.CONFIGURATION_INVALID,
            "give the corpus folder: bin/mmflow eval corpus DIR"
                + " (datasets/corpus/fetch-debian-docs.sh fetches one)"
                + (corpus == null ? "" : "; not a folder: " + corpus));
      }
      CorpusEvaluation.Report report =
          CorpusEvaluation.run(corpus, config.load(Map.of()), System.out);
      CorpusEvaluation.print(report, System.out);
      return report.jobFailures() == 0 && report.lost() == 0 ? 0 : 1;
    }
    if (what == Target.sentiment && crossDomain) {
      Path corpus = DemoCommand.home("datasets/sentiment");
      System.out.println("eval sentiment --cross-domain: " + corpus);
      SentimentCrossDomain.print(SentimentCrossDomain.run(corpus, System.out), System.out);
      return 0;
    }
    if (what == Target.sentiment) {
      Path corpus = DemoCommand.home("datasets/sentiment");
      SentimentEvaluation.print(
          SentimentEvaluation.run(input, corpus, config.load(Map.of())), System.out);
      return 0;
    }
    if (fonts) {
      FontOcrEvaluation.print(
          FontOcrEvaluation.run(
              DemoCommand.home("datasets/sentiment"),
              pagesPerCondition,
              config.load(Map.of()),
              System.out),
          System.out);
      return 0;
    }
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
