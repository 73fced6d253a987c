package io.mmflow.jobs.eval;

import io.mmflow.core.config.ModelOptions;
import io.mmflow.datasets.models.sentiment.SentimentCorpus;
import io.mmflow.model.calibration.Calibration;
import io.mmflow.model.calibration.CalibrationError;
import io.mmflow.model.onnx.ModelRegistry;
import io.mmflow.model.onnx.ModelSpec;
import io.mmflow.model.text.TextModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.Configuration;

/**
 * {@code mmflow eval sentiment}: a registry sentiment model (default: mmflow's own) on labelled
 * sentences: the held-out test split of datasets/sentiment, or every line of a {@code
 * sentence<TAB>label} file. Accuracy, and the expected calibration error of the raw softmax and of
 * the model's declared calibration.
 */
public final class SentimentEvaluation {
  private static final int BATCH = 64;

  /** The figures of one evaluation. */
  public record Figures(
      String model, String input, int n, double accuracy, double eceRaw, double eceCalibrated) {
    public String resultLine() {
      return String.format(
          Locale.ROOT,
          "RESULT eval=sentiment n=%d accuracy=%.4f ece_raw=%.4f ece_calibrated=%.4f",
          n,
          accuracy,
          eceRaw,
          eceCalibrated);
    }
  }

  private SentimentEvaluation() {}

  /**
   * @param input a {@code sentence<TAB>label} file, or null for the held-out split of {@code
   *     corpusDir}
   */
  public static Figures run(Path input, Path corpusDir, Configuration config) throws IOException {
    List<SentimentCorpus.Example> examples;
    String described;
    if (input != null) {
      if (!Files.isRegularFile(input)) {
        throw new IOException("no such file: " + input);
      }
      examples = SentimentCorpus.read(input);
      described = input.toString();
    } else {
      examples = SentimentCorpus.split(SentimentCorpus.read(corpusDir)).test();
      described = corpusDir + " (held-out test split, seed " + SentimentCorpus.SEED + ")";
    }
    String id = config.get(ModelOptions.SENTIMENT);
    ModelSpec spec = ModelRegistry.load(config.get(ModelOptions.REGISTRY)).get(id);
    int positive = spec.labels().indexOf("positive");
    if (spec.labels().size() != 2 || positive < 0) {
      throw new IOException(
          "model " + id + " must have two labels, one of them 'positive': " + spec.labels());
    }
    int n = examples.size();
    double[] rawConfidence = new double[n];
    double[] calibratedConfidence = new double[n];
    boolean[] correct = new boolean[n];
    int right = 0;
    try (TextModel model = new TextModel(spec)) {
      for (int start = 0; start < n; start += BATCH) {
        List<SentimentCorpus.Example> chunk = examples.subList(start, Math.min(n, start + BATCH));
        List<TextModel.Prediction> predictions =
            model.applyBatch(chunk.stream().map(SentimentCorpus.Example::text).toList());
        for (int i = 0; i < chunk.size(); i++) {
          float[] raw = predictions.get(i).rawScores();
          double[] p = spec.calibration().probabilities(raw);
          double[] q = Calibration.SOFTMAX.probabilities(raw);
          int predicted = p[positive] > 0.5 ? 1 : 0;
          int k = start + i;
          correct[k] = predicted == chunk.get(i).label();
          right += correct[k] ? 1 : 0;
          calibratedConfidence[k] = Math.max(p[positive], 1 - p[positive]);
          rawConfidence[k] = Math.max(q[positive], 1 - q[positive]);
        }
      }
    }
    return new Figures(
        id + "@" + spec.version() + " (" + spec.calibration().describe() + ")",
        described,
        n,
        (double) right / n,
        CalibrationError.expected(rawConfidence, correct, CalibrationError.DEFAULT_BINS),
        CalibrationError.expected(calibratedConfidence, correct, CalibrationError.DEFAULT_BINS));
  }

  public static void print(Figures f, PrintStream out) {
    out.printf(Locale.ROOT, "model            %s%n", f.model());
    out.printf(Locale.ROOT, "input            %s%n", f.input());
    out.printf(Locale.ROOT, "sentences        %d%n", f.n());
    out.printf(Locale.ROOT, "accuracy         %.4f%n", f.accuracy());
    out.printf(
        Locale.ROOT,
        "ECE (10 bins)    %.4f raw softmax → %.4f calibrated%n",
        f.eceRaw(),
        f.eceCalibrated());
    out.println(f.resultLine());
  }
}
