package io.mmflow.jobs.cli;

import io.mmflow.datasets.models.sentiment.SentimentModelBuilder;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train one of mmflow's own models and write it as a model registry entry.",
      "sentiment: the default English sentiment model (naive Bayes over WordPiece tokens, as an",
      "ONNX graph) on datasets/sentiment; deterministic, a few seconds."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  mmflow train sentiment                 # rewrites model-udfs/src/main/resources/models",
      "  mmflow train sentiment --output /tmp/models --input my-labelled-sentences/"
    })
final class TrainCommand implements Callable<Integer> {
  /** What can be trained. */
  enum Target {
    sentiment
  }

  @Parameters(index = "0", paramLabel = "WHAT", description = "${COMPLETION-CANDIDATES}.")
  Target what;

  @Option(
      names = "--input",
      paramLabel = "DIR",
      description = "Folder of sentence<TAB>label files; default: datasets/sentiment.")
  Path input;

  @Option(
      names = "--output",
      paramLabel = "DIR",
      description =
          "Registry folder to write (models.yaml and sentiment-en/); default: the shipped one.")
  Path output;

  @Override
  public Integer call() throws Exception {
    Path in = input == null ? DemoCommand.home("datasets/sentiment") : input;
    Path out = output == null ? DemoCommand.home("model-udfs/src/main/resources/models") : output;
    SentimentModelBuilder.Report r = SentimentModelBuilder.build(in, out);
    System.out.printf(
        Locale.ROOT,
        "trained %s into %s: %d tokens, lexicon weight %.1f, T=%.4f, held-out accuracy %.4f,"
            + " ECE %.4f -> %.4f%n",
        SentimentModelBuilder.MODEL_ID,
        out,
        r.vocabulary(),
        r.lexiconWeight(),
        r.temperature(),
        r.testAccuracy(),
        r.testEceRaw(),
        r.testEceCalibrated());
    return 0;
  }
}
