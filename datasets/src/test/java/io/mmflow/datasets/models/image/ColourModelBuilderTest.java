package io.mmflow.datasets.models.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mmflow.core.model.Label;
import io.mmflow.datasets.models.image.ColourImages.Noise;
import io.mmflow.model.image.ImageModel;
import io.mmflow.model.onnx.ModelRegistry;
import io.mmflow.model.onnx.ModelSpec;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the colour model into a temporary registry and runs both of its entries on ONNX Runtime
 * through {@link ImageModel}.
 */
class ColourModelBuilderTest {
  @TempDir static Path dir;
  static ColourModelBuilder.Report report;

  @BeforeAll
  static void build() throws Exception {
    report = ColourModelBuilder.build(dir, ColourModelBuilder.DEFAULT_SEED);
    System.out.printf(
        "colour model %s: T=%.4f, accuracy train %.4f test %.4f, ECE validation %.4f -> %.4f,"
            + " test %.4f -> %.4f%n",
        report.version(),
        report.temperature(),
        report.trainAccuracy(),
        report.testAccuracy(),
        report.validationEceRaw(),
        report.validationEceCalibrated(),
        report.testEceRaw(),
        report.testEceCalibrated());
  }

  private static ModelSpec spec(String id) {
    return ModelRegistry.load(dir.resolve("models.yaml").toString()).get(id);
  }

  @Test
  void noisyTestImagesAreClassifiedAndTheTemperatureLowersTheCalibrationError() {
    assertThat(report.train()).isEqualTo(1800);
    assertThat(report.test()).isEqualTo(900);
    assertThat(report.testAccuracy()).isGreaterThanOrEqualTo(0.95);
    assertThat(report.temperature()).isBetween(0.5, 5.0);
    assertThat(report.validationEceCalibrated()).isLessThanOrEqualTo(report.validationEceRaw());
    assertThat(report.testEceCalibrated())
        .isLessThanOrEqualTo(report.testEceRaw())
        .isLessThan(0.03);
  }

  @Test
  void cleanImagesOfEveryColourAreClassifiedWithProbabilitiesSummingToOne() {
    Random random = new Random(1);
    List<BufferedImage> images = new ArrayList<>();
    for (int label = 0; label < ColourImages.LABELS.size(); label++) {
      images.add(ColourImages.solid(label, 32, 32, Noise.CLEAN, random));
    }
    try (ImageModel model = new ImageModel(spec(ColourModelBuilder.CLASSIFIER_ID))) {
      List<ImageModel.Prediction> p =
          model.applyBatch(ColourModelBuilder.pixelValues(images), images.size());
      for (int label = 0; label < images.size(); label++) {
        List<Label> labels = p.get(label).labels();
        assertThat(labels.get(0).label()).isEqualTo(ColourImages.LABELS.get(label));
        assertThat(p.get(label).confidence()).isGreaterThan(0.9);
        assertThat(labels.stream().mapToDouble(Label::score).sum()).isCloseTo(1.0, within(1e-9));
        assertThat(labels).isSortedAccordingTo((a, b) -> Double.compare(b.score(), a.score()));
        assertThat(p.get(label).embedding()).isNull();
      }
      // one image alone scores as it does in the batch
      float[] alone =
          model.apply(ColourModelBuilder.pixelValues(List.of(images.get(3)))).rawScores();
      assertThat(alone).containsExactly(p.get(3).rawScores(), within(1e-5f));
    }
  }

  @Test
  void embeddingsAreUnitLengthAndCloserForTheSameLayout() {
    Random random = new Random(2);
    Noise noise = new Noise(10, 24, 0);
    int red = ColourImages.label("red");
    int blue = ColourImages.label("blue");
    List<BufferedImage> images =
        List.of(
            ColourImages.halves(red, blue, true, 32, 32, noise, random), // red | blue
            ColourImages.halves(red, blue, true, 32, 32, noise, random), // red | blue, other noise
            ColourImages.halves(blue, red, true, 32, 32, noise, random), // blue | red
            ColourImages.halves(red, blue, false, 32, 32, noise, random), // red over blue
            ColourImages.solid(ColourImages.label("green"), 32, 32, noise, random));
    try (ImageModel model = new ImageModel(spec(ColourModelBuilder.EMBEDDING_ID))) {
      List<ImageModel.Prediction> p =
          model.applyBatch(ColourModelBuilder.pixelValues(images), images.size());
      for (ImageModel.Prediction e : p) {
        assertThat(e.embedding()).hasSize(144);
        assertThat(dot(e.embedding(), e.embedding())).isCloseTo(1.0, within(1e-5));
        assertThat(e.labels()).isEmpty();
        assertThat(e.confidence()).isNull();
      }
      double same = dot(p.get(0).embedding(), p.get(1).embedding());
      double mirrored = dot(p.get(0).embedding(), p.get(2).embedding());
      double turned = dot(p.get(0).embedding(), p.get(3).embedding());
      double green = dot(p.get(0).embedding(), p.get(4).embedding());
      System.out.printf(
          "cosine to red|blue: red|blue %.3f, blue|red %.3f, red over blue %.3f, green %.3f%n",
          same, mirrored, turned, green);
      assertThat(same).isGreaterThan(0.95);
      assertThat(turned).isLessThan(same - 0.3).isGreaterThan(mirrored);
      assertThat(mirrored).isLessThan(0.1);
      assertThat(green).isLessThan(0.1);
    }
  }

  @Test
  void theSameSeedGivesTheSameBytesAndAnotherSeedOthers(@TempDir Path again, @TempDir Path other)
      throws Exception {
    ColourModelBuilder.build(again, ColourModelBuilder.DEFAULT_SEED);
    ColourModelBuilder.build(other, ColourModelBuilder.DEFAULT_SEED + 1);
    for (String f : List.of(ColourModelBuilder.MODEL_FILE, "models.yaml")) {
      assertThat(Files.readAllBytes(again.resolve(f)))
          .isEqualTo(Files.readAllBytes(dir.resolve(f)));
      assertThat(Files.readAllBytes(other.resolve(f)))
          .isNotEqualTo(Files.readAllBytes(dir.resolve(f)));
    }
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}
