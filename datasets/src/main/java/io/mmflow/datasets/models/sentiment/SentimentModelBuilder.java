package io.mmflow.datasets.models.sentiment;

import io.mmflow.datasets.models.onnx.OnnxModelWriter;
import io.mmflow.datasets.models.text.WordPieceTokenizerJson;
import io.mmflow.model.calibration.CalibrationError;
import io.mmflow.model.calibration.TemperatureScaling;
import io.mmflow.model.onnx.ModelRegistry;
import io.mmflow.model.onnx.ModelSpec;
import io.mmflow.model.text.TextModel;
import io.mmflow.model.text.TextTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Trains mmflow's default English sentiment model and writes it as a model registry entry: {@code
 * models.yaml}, {@code sentiment-en/model.onnx}, {@code sentiment-en/tokenizer.json} and a model
 * card.
 *
 * <p>The model is a multinomial naive Bayes classifier (McCallum and Nigam, "A Comparison of Event
 * Models for Naive Bayes Text Classification", AAAI-98 workshop) over WordPiece tokens, with
 * Laplace smoothing (alpha = 1): {@code logits[c] = log P(c) + sum over tokens t of log P(t | c)},
 * each token's two log-probabilities centred on their mean (softmax does not change). As an ONNX
 * graph with the inputs of a BERT classifier: Gather(token_scores, input_ids) → × attention_mask →
 * ReduceSum over the sequence → + class prior = logits [batch, 2]. The temperature is fitted by
 * {@link TemperatureScaling} on out-of-fold logits of a 5-fold cross-validation over the train and
 * validation splits (every fitted point is one the fold's model did not see); the final model is
 * then trained on both splits. The test split stays held out for {@code bin/mmflow eval sentiment}.
 *
 * <p>Data: datasets/sentiment, the amazon and imdb files of "Sentiment Labelled Sentences"
 * (Kotzias, Denil, de Freitas, Smyth, KDD 2015; UCI Machine Learning Repository; CC BY 4.0), split
 * by {@link SentimentCorpus#split}. Deterministic: the same data gives the same files.
 */
public final class SentimentModelBuilder {
  public static final String MODEL_ID = "sentiment-en";
  public static final String VERSION = "nb-lex-1";
  public static final int MAX_TOKENS = 128;
  private static final int FOLDS = 5;

  /** The lexicon weights the cross-validation chooses from. */
  static final double[] LEXICON_WEIGHTS = {0, 0.5, 1, 2, 4};

  /** What the build measured, for the model card and the caller. */
  public record Report(
      int vocabulary,
      int lexiconWords,
      double lexiconWeight,
      int train,
      int folds,
      int test,
      double temperature,
      double crossValidatedAccuracy,
      double testAccuracy,
      double testEceRaw,
      double testEceCalibrated) {}

  private SentimentModelBuilder() {}

  /** {@code SentimentModelBuilder <corpus dir> <registry dir>}. */
  public static void main(String[] args) throws Exception {
    Path corpus = Path.of(args.length > 0 ? args[0] : "datasets/sentiment");
    Path out = Path.of(args.length > 1 ? args[1] : "model-udfs/src/main/resources/models");
    Report r = build(corpus, out);
    System.out.printf(
        Locale.ROOT,
        "trained %s: vocabulary %d, lexicon weight %.1f, T=%.4f, test accuracy %.4f, ECE %.4f"
            + " -> %.4f%n",
        MODEL_ID,
        r.vocabulary(),
        r.lexiconWeight(),
        r.temperature(),
        r.testAccuracy(),
        r.testEceRaw(),
        r.testEceCalibrated());
  }

  public static Report build(Path corpusDir, Path registryDir) throws IOException {
    SentimentCorpus.Split split = SentimentCorpus.split(SentimentCorpus.read(corpusDir));
    List<SentimentCorpus.Example> learn = new ArrayList<>(split.train());
    learn.addAll(split.validation());
    return train(learn, split.test(), SentimentLexicon.of(corpusDir), registryDir);
  }

  /**
   * Trains on {@code learn} with {@code lexicon} (or {@link SentimentLexicon#NONE}), writes the
   * registry entry under {@code registryDir}, and scores the written model on {@code test}.
   */
  public static Report train(
      List<SentimentCorpus.Example> learn,
      List<SentimentCorpus.Example> test,
      Map<String, Double> lexicon,
      Path registryDir)
      throws IOException {
    Path modelDir = registryDir.resolve(MODEL_ID);
    Files.createDirectories(modelDir);

    Map<String, Integer> counts = new HashMap<>();
    for (SentimentCorpus.Example e : learn) {
      for (String t : WordPieceTokenizerJson.basicTokens(e.text())) {
        counts.merge(t, 1, Integer::sum);
      }
    }
    List<String> words = new ArrayList<>(counts.keySet());
    words.sort(Comparator.<String>comparingInt(counts::get).reversed().thenComparing(w -> w));
    // the lexicon's words the training sentences never used, after them: they count too
    lexicon.keySet().stream().filter(w -> !counts.containsKey(w)).sorted().forEach(words::add);
    Path tokenizerJson = modelDir.resolve("tokenizer.json");
    Map<String, Integer> vocabulary = WordPieceTokenizerJson.write(tokenizerJson, words);
    int v = vocabulary.size();
    float[] valence = new float[v];
    lexicon.forEach(
        (w, x) -> {
          Integer id = vocabulary.get(w);
          if (id != null) {
            valence[id] = x.floatValue();
          }
        });

    // the token ids the model will see, special tokens included
    List<int[]> ids = new ArrayList<>();
    try (TextTokenizer tokenizer = new TextTokenizer(tokenizerJson, MAX_TOKENS)) {
      for (SentimentCorpus.Example e : learn) {
        TextTokenizer.Batch b = tokenizer.encode(List.of(e.text()));
        int[] row = new int[b.length()];
        for (int i = 0; i < row.length; i++) {
          row[i] = (int) b.ids()[i];
        }
        ids.add(row);
      }
    }

    // the lexicon's weight, then the temperature: both from out-of-fold logits of a 5-fold
    // cross-validation over the training sentences (every scored point is one its fold's model
    // did not see); the weight with the best out-of-fold accuracy, the smaller on a tie
    int[] labels = learn.stream().mapToInt(SentimentCorpus.Example::label).toArray();
    double weight = 0;
    Scores crossValidated = null;
    for (double candidate : lexicon.isEmpty() ? new double[] {0} : LEXICON_WEIGHTS) {
      Scores s = new Scores(outOfFold(ids, labels, v, valence, candidate), labels);
      if (crossValidated == null || s.accuracy() > crossValidated.accuracy()) {
        crossValidated = s;
        weight = candidate;
      }
    }
    double t = TemperatureScaling.fit(crossValidated.logits(), labels);

    NaiveBayesSentiment nb =
        NaiveBayesSentiment.train(ids, labels, new boolean[learn.size()], v, valence, weight);
    writeOnnx(modelDir.resolve("model.onnx"), nb.tokenScores, v, nb.prior);
    writeRegistry(registryDir, t);
    Scores scored;
    try (TextModel model = new TextModel(registryModel(registryDir))) {
      scored = score(model, test);
    }
    Report report =
        new Report(
            v,
            lexicon.size(),
            weight,
            learn.size(),
            FOLDS,
            test.size(),
            t,
            crossValidated.accuracy(),
            scored.accuracy(),
            scored.ece(1.0),
            scored.ece(t));
    writeModelCard(modelDir.resolve("README.md"), report);
    return report;
  }

  /** Logits of every example from the model of the fold that held it out. */
  private static float[][] outOfFold(
      List<int[]> ids, int[] labels, int v, float[] valence, double weight) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(SentimentCorpus.SEED));
    float[][] out = new float[ids.size()][];
    for (int fold = 0; fold < FOLDS; fold++) {
      boolean[] held = new boolean[ids.size()];
      for (int k = fold; k < order.size(); k += FOLDS) {
        held[order.get(k)] = true;
      }
      NaiveBayesSentiment nb = NaiveBayesSentiment.train(ids, labels, held, v, valence, weight);
      for (int i = 0; i < ids.size(); i++) {
        if (held[i]) {
          out[i] = nb.logits(ids.get(i));
        }
      }
    }
    return out;
  }

  private static ModelSpec registryModel(Path registryDir) {
    return ModelRegistry.load(registryDir.resolve("models.yaml").toString()).get(MODEL_ID);
  }

  /** Raw logits and labels of a split. */
  private record Scores(float[][] logits, int[] labels) {
    double accuracy() {
      int right = 0;
      for (int i = 0; i < labels.length; i++) {
        right += (logits[i][1] > logits[i][0] ? 1 : 0) == labels[i] ? 1 : 0;
      }
      return (double) right / labels.length;
    }

    double ece(double t) {
      double[] conf = new double[labels.length];
      boolean[] correct = new boolean[labels.length];
      for (int i = 0; i < labels.length; i++) {
        double p1 = 1 / (1 + Math.exp(-(logits[i][1] - logits[i][0]) / t));
        int predicted = p1 > 0.5 ? 1 : 0;
        conf[i] = Math.max(p1, 1 - p1);
        correct[i] = predicted == labels[i];
      }
      return CalibrationError.expected(conf, correct, CalibrationError.DEFAULT_BINS);
    }
  }

  private static Scores score(TextModel model, List<SentimentCorpus.Example> examples) {
    float[][] logits = new float[examples.size()][];
    int[] labels = new int[examples.size()];
    List<String> texts = examples.stream().map(SentimentCorpus.Example::text).toList();
    List<TextModel.Prediction> predictions = model.applyBatch(texts);
    for (int i = 0; i < examples.size(); i++) {
      logits[i] = predictions.get(i).rawScores();
      labels[i] = examples.get(i).label();
    }
    return new Scores(logits, labels);
  }

  static void writeOnnx(Path file, float[] tokenScores, int vocab, float[] prior)
      throws IOException {
    new OnnxModelWriter("sentiment_naive_bayes")
        .input("input_ids", OnnxModelWriter.INT64, "batch", "sequence")
        .input("attention_mask", OnnxModelWriter.INT64, "batch", "sequence")
        .output("logits", OnnxModelWriter.FLOAT, "batch", 2)
        .initializer("token_scores", tokenScores, vocab, 2)
        .initializer("class_prior", prior, 2)
        .initializer("axis_last", new long[] {2}, 1)
        .initializer("axis_sequence", new long[] {1}, 1)
        .node("Gather", List.of("token_scores", "input_ids"), "per_token", Map.of("axis", 0L))
        .node("Cast", List.of("attention_mask"), "mask_float", Map.of("to", 1L))
        .node("Unsqueeze", List.of("mask_float", "axis_last"), "mask_3d")
        .node("Mul", List.of("per_token", "mask_3d"), "masked")
        .node("ReduceSum", List.of("masked", "axis_sequence"), "summed", Map.of("keepdims", 0L))
        .node("Add", List.of("summed", "class_prior"), "logits")
        .metadata("mmflow.model", MODEL_ID + "@" + VERSION)
        .metadata(
            "mmflow.training",
            "multinomial naive Bayes (alpha=1) on the UCI Sentiment Labelled Sentences (amazon,"
                + " imdb), Kotzias et al. KDD 2015, CC BY 4.0, plus VADER's lexicon (Hutto and"
                + " Gilbert, ICWSM 2014; Apache-2.0)")
        .write(file);
  }

  private static void writeRegistry(Path dir, double temperature) throws IOException {
    String yaml =
        """
        # mmflow's default models. Built by the project's own code:
        #   bin/mmflow train sentiment   (io.mmflow.datasets.models.sentiment.SentimentModelBuilder)
        # Paths are relative to this file. See docs/models.md for every key.
        models:
          - id: %s
            version: %s
            description: English sentiment of sentences and short texts (naive Bayes over WordPiece tokens, with VADER's lexicon)
            source: trained on UCI Sentiment Labelled Sentences (Kotzias et al., KDD 2015), CC BY 4.0; VADER lexicon (Hutto and Gilbert, ICWSM 2014), Apache-2.0
            task: sentiment
            modality: text
            runtime: onnx
            path: %s/model.onnx
            inputs: {input_ids: input_ids, attention_mask: attention_mask}
            outputs: {logits: logits}
            preprocessing: {tokenizer: %s/tokenizer.json, max-tokens: %d}
            labels: [negative, positive]
            calibration: {method: temperature, temperature: %.6f}
            execution-provider: cpu
            threads: 1
            batch: {max-size: 32, max-wait: 20ms}
        """;
    yaml =
        String.format(
            Locale.ROOT, yaml, MODEL_ID, VERSION, MODEL_ID, MODEL_ID, MAX_TOKENS, temperature);
    Files.writeString(dir.resolve("models.yaml"), yaml, StandardCharsets.UTF_8);
  }

  private static void writeModelCard(Path file, Report r) throws IOException {
    String card =
        """
        # sentiment-en (%s)

        mmflow's default English sentiment model: labels `negative`, `positive`.

        - **Made by**: the project's own code, `bin/mmflow train sentiment`
          (`io.mmflow.datasets.models.sentiment.SentimentModelBuilder`); deterministic.
        - **Model**: multinomial naive Bayes (Laplace smoothing, alpha = 1) over the WordPiece tokens
          of `tokenizer.json` (BERT-style, uncased, %d tokens: the words of the training split, then
          the lexicon's other words), each token's logit difference plus %.1f times its valence in
          VADER's lexicon (%d words; Hutto and Gilbert, ICWSM 2014; Apache License 2.0, in
          `datasets/sentiment/lexicon`), as an ONNX graph with a BERT classifier's interface:
          `input_ids`, `attention_mask` (int64, [batch, sequence]) → `logits` (float, [batch, 2]).
        - **Lexicon weight and calibration**: the weight (of 0, 0.5, 1, 2, 4) with the best
          out-of-fold accuracy, then softmax with temperature T = %.4f, fitted by minimizing the
          negative log-likelihood of the out-of-fold logits (%d-fold cross-validation over train +
          validation); the final model is then trained on all of train + validation.
        - **Data**: the amazon and imdb files of "Sentiment Labelled Sentences" (Kotzias, Denil,
          de Freitas, Smyth: "From Group to Individual Labels using Deep Features", KDD 2015; UCI
          Machine Learning Repository; licensed CC BY 4.0), in `datasets/sentiment`. Split with seed
          42: %d train + validation, %d test (held out) sentences.

        | split | accuracy | ECE raw | ECE calibrated |
        |---|---|---|---|
        | cross-validated (out of fold) | %.4f | | |
        | test (held out) | %.4f | %.4f | %.4f |

        Trained on one of the two kinds of review and tested on the other (`bin/mmflow eval
        sentiment --cross-domain`): see docs/benchmarks.md. ECE: 10 equal-width confidence bins.
        Limits: short English review sentences; a bag of words, so negation and sarcasm are beyond
        it; words neither in training nor in the lexicon become `[UNK]`.
        """;
    card =
        String.format(
            Locale.ROOT,
            card,
            VERSION,
            r.vocabulary(),
            r.lexiconWeight(),
            r.lexiconWords(),
            r.temperature(),
            r.folds(),
            r.train(),
            r.test(),
            r.crossValidatedAccuracy(),
            r.testAccuracy(),
            r.testEceRaw(),
            r.testEceCalibrated());
    Files.writeString(file, card, StandardCharsets.UTF_8);
  }
}
