package io.mmflow.datasets.models.image;

import io.mmflow.datasets.models.image.ColourImages.Sample;
import io.mmflow.datasets.models.onnx.OnnxModelWriter;
import io.mmflow.model.calibration.Calibration;
import io.mmflow.model.calibration.CalibrationError;
import io.mmflow.model.calibration.TemperatureScaling;
import io.mmflow.model.image.ImageModel;
import io.mmflow.model.onnx.ModelRegistry;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Builds mmflow's small image model, a dominant-colour classifier with a colour-layout embedding,
 * from images that {@link ColourImages} renders with noise, and writes it as a model registry:
 * {@code models.yaml} (entries {@value #CLASSIFIER_ID}, task classification, and {@value
 * #EMBEDDING_ID}, task embedding, both on the same file) and {@code colour/model.onnx}.
 *
 * <p>The classifier is Gaussian linear discriminant analysis (Hastie, Tibshirani, Friedman, <i>The
 * Elements of Statistical Learning</i>, 2nd ed., section 4.3) on the image's mean colour x (3
 * normalised channels): class means μ_k, the pooled within-class covariance Σ, equal priors, so
 * {@code logit_k = x·Σ⁻¹μ_k − ½ μ_kᵀΣ⁻¹μ_k}. Closed form: no iterations, no learning rate. The
 * temperature is fitted by {@link TemperatureScaling} on a validation split; accuracy and expected
 * calibration error are measured through ONNX Runtime on a held-out test split.
 *
 * <p>The ONNX graph (opset 17), input {@code pixel_values} float [N, 3, 32, 32], normalised with
 * mean 0.5 and std 0.5: AveragePool 8×8 → a 4×4 grid of cell colours → Conv 1×1 with the LDA
 * weights → cell logits [N, 9, 4, 4]; GlobalAveragePool + Flatten → {@code logits} [N, 9] (the mean
 * of the cell logits is the logit of the mean colour, the map being linear); Softmax over the
 * classes per cell + Flatten → {@code embedding} [N, 144], which colour is where, so that two
 * images with the same layout are close and a layout that differs is not (the runtime scales it to
 * unit length).
 *
 * <p>Deterministic: the same seed gives byte-identical files.
 */
public final class ColourModelBuilder {
  public static final String CLASSIFIER_ID = "colour";
  public static final String EMBEDDING_ID = "colour-layout";
  public static final String MODEL_FILE = "colour/model.onnx";
  public static final long DEFAULT_SEED = 7;

  /** Tensor width and height. */
  public static final int SIZE = 32;

  /** Side of one grid cell of the embedding, in tensor pixels: a 4×4 grid. */
  public static final int CELL = 8;

  public static final float MEAN = 0.5f;
  public static final float STD = 0.5f;
  private static final int TRAIN_PER_LABEL = 200;
  private static final int VALIDATION_PER_LABEL = 100;
  private static final int TEST_PER_LABEL = 100;

  /**
   * What the build measured (ECE: 10 equal-width bins, {@link CalibrationError}).
   *
   * @param version the models' version in the registry
   * @param train images the LDA was fitted on
   * @param validation images the temperature was fitted on
   * @param test held-out images the figures below are measured on
   * @param temperature T fitted on the validation split
   * @param trainAccuracy top-1 accuracy on the training split
   * @param testAccuracy top-1 accuracy on the test split, through ONNX Runtime
   * @param validationEceRaw ECE of softmax(logits) on the validation split
   * @param validationEceCalibrated ECE of softmax(logits / T) on the validation split
   * @param testEceRaw ECE of softmax(logits) on the test split
   * @param testEceCalibrated ECE of softmax(logits / T) on the test split
   */
  public record Report(
      String version,
      int train,
      int validation,
      int test,
      double temperature,
      double trainAccuracy,
      double testAccuracy,
      double validationEceRaw,
      double validationEceCalibrated,
      double testEceRaw,
      double testEceCalibrated) {}

  private ColourModelBuilder() {}

  /** {@code ColourModelBuilder <registry dir> [seed]}. */
  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "target/colour-model");
    Report r = build(out, args.length > 1 ? Long.parseLong(args[1]) : DEFAULT_SEED);
    System.out.println(r);
  }

  /** The version of the models built with {@code seed}. */
  public static String version(long seed) {
    return "lda-1-s" + seed;
  }

  /** Renders the splits from {@code seed}, fits, writes {@code dir} and measures. */
  public static Report build(Path dir, long seed) throws IOException {
    Random random = new Random(seed);
    ColourImages.Noise noise = ColourImages.Noise.TRAINING;
    List<Sample> train = ColourImages.samples(TRAIN_PER_LABEL, SIZE, noise, random);
    List<Sample> validation = ColourImages.samples(VALIDATION_PER_LABEL, SIZE, noise, random);
    List<Sample> test = ColourImages.samples(TEST_PER_LABEL, SIZE, noise, random);

    Lda lda = Lda.fit(train);
    float[][] validationLogits = new float[validation.size()][];
    for (int i = 0; i < validation.size(); i++) {
      validationLogits[i] = lda.logits(meanColour(validation.get(i).image()));
    }
    int[] validationLabels = labels(validation);
    double t = TemperatureScaling.fit(validationLogits, validationLabels);

    String version = version(seed);
    writeOnnx(dir.resolve(MODEL_FILE), lda, version);
    Files.writeString(
        dir.resolve("models.yaml"),
        "# mmflow's colour models, built by io.mmflow.datasets.models.image.ColourModelBuilder\n"
            + "models:\n"
            + registryEntries(MODEL_FILE, version, t),
        StandardCharsets.UTF_8);

    float[][] testLogits;
    String registry = dir.resolve("models.yaml").toString();
    try (ImageModel model = new ImageModel(ModelRegistry.load(registry).get(CLASSIFIER_ID))) {
      List<ImageModel.Prediction> p = model.applyBatch(pixelValues(images(test)), test.size());
      testLogits = p.stream().map(ImageModel.Prediction::rawScores).toArray(float[][]::new);
    }
    int[] testLabels = labels(test);
    float[][] trainLogits =
        train.stream().map(s -> lda.logits(meanColour(s.image()))).toArray(float[][]::new);
    return new Report(
        version,
        train.size(),
        validation.size(),
        test.size(),
        t,
        accuracy(trainLogits, labels(train)),
        accuracy(testLogits, testLabels),
        ece(validationLogits, validationLabels, Calibration.SOFTMAX),
        ece(validationLogits, validationLabels, Calibration.temperature(t)),
        ece(testLogits, testLabels, Calibration.SOFTMAX),
        ece(testLogits, testLabels, Calibration.temperature(t)));
  }

  /**
   * The two registry entries (YAML list items under {@code models:}, indented two spaces), for a
   * model file at {@code path} relative to the registry file.
   */
  public static String registryEntries(String path, String version, double temperature) {
    String classifier =
        String.format(
            Locale.ROOT,
            """
                outputs: {logits: logits}
                labels: [%s]
                calibration: {method: temperature, temperature: %.6f}
            """,
            String.join(", ", ColourImages.LABELS),
            temperature);
    return entry(
            CLASSIFIER_ID,
            version,
            "dominant colour of an image (Gaussian LDA on the mean colour)",
            "classification",
            path,
            classifier)
        + entry(
            EMBEDDING_ID,
            version,
            "which colour is where, on a 4x4 grid (the colour model's cell posteriors)",
            "embedding",
            path,
            "    outputs: {embedding: embedding}\n");
  }

  private static String entry(
      String id, String version, String description, String task, String path, String outputs) {
    return String.format(
        Locale.ROOT,
        """
          - id: %s
            version: %s
            description: %s
            source: built by ColourModelBuilder from images it renders; nothing downloaded
            task: %s
            modality: image
            runtime: onnx
            path: %s
            inputs: {pixel_values: pixel_values}
        %s    preprocessing: {image-size: [%d, %d], resize: center-crop, mean: [%s, %s, %s], std: [%s, %s, %s]}
            execution-provider: cpu
            threads: 1
            batch: {max-size: 32, max-wait: 20ms}
        """,
        id,
        version,
        description,
        task,
        path,
        outputs,
        SIZE,
        SIZE,
        MEAN,
        MEAN,
        MEAN,
        STD,
        STD,
        STD);
  }

  /**
   * Images of exactly {@link #SIZE}² pixels as the model's input: NCHW floats, {@code (p / 255 −
   * 0.5) / 0.5} per channel, what operators' ImageTensors makes of them with this preprocessing.
   */
  public static float[] pixelValues(List<BufferedImage> images) {
    int plane = SIZE * SIZE;
    float[] out = new float[images.size() * 3 * plane];
    int[] rgb = new int[plane];
    for (int n = 0; n < images.size(); n++) {
      BufferedImage image = images.get(n);
      if (image.getWidth() != SIZE || image.getHeight() != SIZE) {
        throw new IllegalArgumentException("images must be " + SIZE + "x" + SIZE);
      }
      image.getRGB(0, 0, SIZE, SIZE, rgb, 0, SIZE);
      for (int c = 0; c < 3; c++) {
        int shift = 16 - 8 * c;
        int at = (n * 3 + c) * plane;
        for (int i = 0; i < plane; i++) {
          out[at + i] = (((rgb[i] >> shift) & 0xFF) / 255f - MEAN) / STD;
        }
      }
    }
    return out;
  }

  /** The mean of each normalised channel over the image: the classifier's features. */
  static double[] meanColour(BufferedImage image) {
    float[] v = pixelValues(List.of(image));
    int plane = SIZE * SIZE;
    double[] mean = new double[3];
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < plane; i++) {
        mean[c] += v[c * plane + i];
      }
      mean[c] /= plane;
    }
    return mean;
  }

  /** Gaussian LDA on 3 features with a pooled covariance and equal priors. */
  record Lda(float[] weights, float[] bias) {
    static Lda fit(List<Sample> samples) {
      int k = ColourImages.LABELS.size();
      double[][] mean = new double[k][3];
      int[] count = new int[k];
      List<double[]> x = new ArrayList<>(samples.size());
      for (Sample s : samples) {
        double[] f = meanColour(s.image());
        x.add(f);
        count[s.label()]++;
        for (int d = 0; d < 3; d++) {
          mean[s.label()][d] += f[d];
        }
      }
      for (int c = 0; c < k; c++) {
        for (int d = 0; d < 3; d++) {
          mean[c][d] /= count[c];
        }
      }
      double[][] cov = new double[3][3];
      for (int i = 0; i < samples.size(); i++) {
        double[] mu = mean[samples.get(i).label()];
        for (int a = 0; a < 3; a++) {
          for (int b = 0; b < 3; b++) {
            cov[a][b] += (x.get(i)[a] - mu[a]) * (x.get(i)[b] - mu[b]) / (samples.size() - k);
          }
        }
      }
      double[][] precision = inverse(cov);
      float[] weights = new float[k * 3];
      float[] bias = new float[k];
      for (int c = 0; c < k; c++) {
        double quadratic = 0;
        for (int a = 0; a < 3; a++) {
          double w = 0;
          for (int b = 0; b < 3; b++) {
            w += precision[a][b] * mean[c][b];
          }
          weights[c * 3 + a] = (float) w;
          quadratic += w * mean[c][a];
        }
        bias[c] = (float) (-0.5 * quadratic);
      }
      return new Lda(weights, bias);
    }

    /** What the graph computes for an image of mean colour {@code x}. */
    float[] logits(double[] x) {
      float[] z = new float[bias.length];
      for (int c = 0; c < z.length; c++) {
        z[c] =
            (float)
                (bias[c]
                    + weights[c * 3] * x[0]
                    + weights[c * 3 + 1] * x[1]
                    + weights[c * 3 + 2] * x[2]);
      }
      return z;
    }

    /** The inverse of a symmetric positive definite 3×3 matrix, by cofactors. */
    private static double[][] inverse(double[][] m) {
      double[][] inv = new double[3][3];
      for (int r = 0; r < 3; r++) {
        for (int c = 0; c < 3; c++) {
          // cofactor of (c, r): the adjugate is the cofactor matrix transposed
          int r1 = (c + 1) % 3;
          int r2 = (c + 2) % 3;
          int c1 = (r + 1) % 3;
          int c2 = (r + 2) % 3;
          inv[r][c] = m[r1][c1] * m[r2][c2] - m[r1][c2] * m[r2][c1];
        }
      }
      double det = m[0][0] * inv[0][0] + m[0][1] * inv[1][0] + m[0][2] * inv[2][0];
      if (!(Math.abs(det) > 1e-18)) {
        throw new IllegalStateException("the colour covariance is singular");
      }
      for (double[] row : inv) {
        for (int c = 0; c < 3; c++) {
          row[c] /= det;
        }
      }
      return inv;
    }
  }

  private static void writeOnnx(Path file, Lda lda, String version) throws IOException {
    int k = ColourImages.LABELS.size();
    int grid = SIZE / CELL;
    long[] cell = {CELL, CELL};
    // sorted attribute maps: Map.of's order changes between JVM runs, and so would the bytes
    new OnnxModelWriter("colour_lda")
        .input("pixel_values", OnnxModelWriter.FLOAT, "batch", 3, SIZE, SIZE)
        .output("logits", OnnxModelWriter.FLOAT, "batch", k)
        .output("embedding", OnnxModelWriter.FLOAT, "batch", k * grid * grid)
        .initializer("class_weights", lda.weights(), k, 3, 1, 1)
        .initializer("class_bias", lda.bias(), k)
        .node(
            "AveragePool",
            List.of("pixel_values"),
            "cells",
            new TreeMap<>(Map.of("kernel_shape", cell, "strides", cell)))
        .node(
            "Conv",
            List.of("cells", "class_weights", "class_bias"),
            "cell_logits",
            Map.of("kernel_shape", new long[] {1, 1}))
        .node("GlobalAveragePool", List.of("cell_logits"), "mean_logits")
        .node("Flatten", List.of("mean_logits"), "logits", Map.of("axis", 1L))
        .node("Softmax", List.of("cell_logits"), "cell_colours", Map.of("axis", 1L))
        .node("Flatten", List.of("cell_colours"), "embedding", Map.of("axis", 1L))
        .metadata("mmflow.model", CLASSIFIER_ID + "@" + version)
        .metadata(
            "mmflow.training",
            "Gaussian LDA on the mean colour of images rendered by ColourImages; no data downloaded")
        .write(file);
  }

  private static List<BufferedImage> images(List<Sample> samples) {
    return samples.stream().map(Sample::image).toList();
  }

  private static int[] labels(List<Sample> samples) {
    return samples.stream().mapToInt(Sample::label).toArray();
  }

  private static int argmax(float[] row) {
    int best = 0;
    for (int c = 1; c < row.length; c++) {
      if (row[c] > row[best]) {
        best = c;
      }
    }
    return best;
  }

  private static double accuracy(float[][] logits, int[] labels) {
    int right = 0;
    for (int i = 0; i < labels.length; i++) {
      right += argmax(logits[i]) == labels[i] ? 1 : 0;
    }
    return (double) right / labels.length;
  }

  private static double ece(float[][] logits, int[] labels, Calibration calibration) {
    double[] confidence = new double[labels.length];
    boolean[] correct = new boolean[labels.length];
    for (int i = 0; i < labels.length; i++) {
      int best = argmax(logits[i]);
      confidence[i] = calibration.probabilities(logits[i])[best];
      correct[i] = best == labels[i];
    }
    return CalibrationError.expected(confidence, correct, CalibrationError.DEFAULT_BINS);
  }
}
