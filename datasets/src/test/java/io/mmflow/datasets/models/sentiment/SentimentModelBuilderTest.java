package io.mmflow.datasets.models.sentiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.datasets.models.text.WordPieceTokenizerJson;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trains the default sentiment model from scratch and checks it against the targets. */
class SentimentModelBuilderTest {
  private static final Path CORPUS = Path.of("sentiment");
  private static final Path SHIPPED = Path.of("../model-udfs/src/main/resources/models");

  @Test
  void trainingMeetsTheTargetsAndReproducesTheShippedModel(@TempDir Path out) throws Exception {
    SentimentModelBuilder.Report r = SentimentModelBuilder.build(CORPUS, out);

    assertThat(r.test()).isEqualTo(400);
    assertThat(r.train()).isEqualTo(1600);
    assertThat(r.testAccuracy()).isGreaterThanOrEqualTo(0.80);
    assertThat(r.testEceCalibrated()).isLessThanOrEqualTo(0.05).isLessThan(r.testEceRaw());
    assertThat(r.temperature()).isBetween(0.5, 5.0);
    // the lexicon counts: its weight was chosen above 0, its words are tokens of the model
    assertThat(r.lexiconWords()).isGreaterThan(7000);
    assertThat(r.lexiconWeight()).isPositive();
    assertThat(Files.readString(out.resolve("sentiment-en").resolve("tokenizer.json")))
        .contains("\"masterpiece\"", "\"flimsy\"");
    // deterministic: the files in the repository are what this code makes
    for (String f : new String[] {"model.onnx", "tokenizer.json"}) {
      assertThat(Files.readAllBytes(out.resolve("sentiment-en").resolve(f)))
          .as(f + " differs from the shipped one: run bin/mmflow train sentiment")
          .isEqualTo(Files.readAllBytes(SHIPPED.resolve("sentiment-en").resolve(f)));
    }
    assertThat(Files.readString(out.resolve("models.yaml")))
        .isEqualTo(Files.readString(SHIPPED.resolve("models.yaml")));
  }

  @Test
  void theLexiconCarriesAModelTrainedOnProductReviewsToFilmReviews(@TempDir Path out)
      throws Exception {
    var products = SentimentCorpus.read(CORPUS.resolve("amazon_cells_labelled.txt"));
    var films = SentimentCorpus.read(CORPUS.resolve("imdb_labelled.txt"));
    double plain =
        SentimentModelBuilder.train(products, films, SentimentLexicon.NONE, out.resolve("a"))
            .testAccuracy();
    double withLexicon =
        SentimentModelBuilder.train(products, films, SentimentLexicon.of(CORPUS), out.resolve("b"))
            .testAccuracy();
    // measured: 0.692 without, 0.756 with (bin/mmflow eval sentiment --cross-domain)
    assertThat(withLexicon).isGreaterThanOrEqualTo(plain + 0.04);
  }

  @Test
  void basicTokensFollowBertsSplitting() {
    assertThat(WordPieceTokenizerJson.basicTokens("Don't STOP: café-bar!"))
        .containsExactly("don", "'", "t", "stop", ":", "cafe", "-", "bar", "!");
  }
}
