package io.mmflow.jobs.eval;

import io.mmflow.core.util.Folders;
import io.mmflow.datasets.models.sentiment.SentimentCorpus;
import io.mmflow.datasets.models.sentiment.SentimentLexicon;
import io.mmflow.datasets.models.sentiment.SentimentModelBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bin/mmflow eval sentiment --cross-domain}: how the default model's recipe does on reviews
 * of a kind it never saw. For each pair of the corpus' files (amazon: product reviews, imdb: movie
 * reviews), a model is trained on all of one, by {@link SentimentModelBuilder} (the recipe of
 * {@code bin/mmflow train sentiment}: its cross-validation, calibration and ONNX graph), and scored
 * through ONNX Runtime on all of the other; with the lexicon and, as the anchor, without it.
 */
public final class SentimentCrossDomain {
  /** One direction: trained on {@code from}, tested on {@code to}. */
  public record Direction(
      String from, String to, int test, double withoutLexicon, double withLexicon, double weight) {}

  private SentimentCrossDomain() {}

  public static List<Direction> run(Path corpusDir, PrintStream progress) throws IOException {
    Path amazon = corpusDir.resolve("amazon_cells_labelled.txt");
    Path imdb = corpusDir.resolve("imdb_labelled.txt");
    Map<String, Double> lexicon = SentimentLexicon.of(corpusDir);
    List<Direction> out = new ArrayList<>();
    for (Path[] pair : new Path[][] {{amazon, imdb}, {imdb, amazon}}) {
      List<SentimentCorpus.Example> learn = SentimentCorpus.read(pair[0]);
      List<SentimentCorpus.Example> test = SentimentCorpus.read(pair[1]);
      String from = domain(pair[0]);
      String to = domain(pair[1]);
      progress.printf("  training on %s, testing on %s%n", from, to);
      Path dir = Files.createTempDirectory("mmflow-cross-domain");
      SentimentModelBuilder.Report plain;
      SentimentModelBuilder.Report withLexicon;
      try {
        plain = SentimentModelBuilder.train(learn, test, SentimentLexicon.NONE, dir.resolve("nb"));
        withLexicon = SentimentModelBuilder.train(learn, test, lexicon, dir.resolve("lexicon"));
      } finally {
        Folders.deleteQuietly(dir);
      }
      out.add(
          new Direction(
              from,
              to,
              test.size(),
              plain.testAccuracy(),
              withLexicon.testAccuracy(),
              withLexicon.lexiconWeight()));
    }
    return out;
  }

  private static String domain(Path file) {
    String name = file.getFileName().toString();
    return name.substring(0, name.indexOf('_'));
  }

  public static void print(List<Direction> directions, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "%n%-8s %-8s %6s %18s %16s %14s%n",
        "train",
        "test",
        "n",
        "naive Bayes only",
        "with lexicon",
        "lexicon weight");
    StringBuilder result = new StringBuilder("RESULT eval=sentiment-cross-domain");
    for (Direction d : directions) {
      out.printf(
          Locale.ROOT,
          "%-8s %-8s %6d %18.4f %16.4f %14.1f%n",
          d.from(),
          d.to(),
          d.test(),
          d.withoutLexicon(),
          d.withLexicon(),
          d.weight());
      String key = d.from() + "_to_" + d.to();
      result.append(
          String.format(
              Locale.ROOT, " %s=%.4f %s_nb=%.4f", key, d.withLexicon(), key, d.withoutLexicon()));
    }
    out.println(result);
  }
}
