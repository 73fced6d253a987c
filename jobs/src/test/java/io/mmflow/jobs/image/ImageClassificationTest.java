package io.mmflow.jobs.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.model.Label;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.ResultStatus;
import io.mmflow.core.model.Task;
import io.mmflow.datasets.models.image.ColourImages;
import io.mmflow.datasets.models.image.ColourImages.Noise;
import io.mmflow.datasets.models.image.ColourModelBuilder;
import io.mmflow.operators.infer.local.ImageClassification;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on real ONNX Runtime sessions: PNG and JPEG bytes → ImageDecoder → ImageTensors →
 * mmflow's colour model (built here by ColourModelBuilder) → canonical results, with bad images
 * becoming coded error results beside their batch's good ones.
 */
class ImageClassificationTest {
  @TempDir static Path dir;
  private static final Instant EVENT = Instant.parse("2026-01-02T03:04:05Z");
  private static final Noise MILD = new Noise(8, 12, 0);

  @BeforeAll
  static void buildModel() throws Exception {
    ColourModelBuilder.build(dir, ColourModelBuilder.DEFAULT_SEED);
  }

  private static ImageClassification open(String modelId, long maxPixels) {
    ImageClassification f =
        new ImageClassification(dir.resolve("models.yaml").toString(), modelId, maxPixels);
    f.open(null);
    return f;
  }

  @Test
  void coloursAreClassifiedAndBadImagesGetTheirCodeWithoutFailingTheBatch() throws Exception {
    Random random = new Random(3);
    byte[] truncatedPng = png(solid("green", 40, 40, random));
    truncatedPng = Arrays.copyOf(truncatedPng, truncatedPng.length / 2);
    List<MediaItem> batch =
        List.of(
            item("red.png", png(solid("red", 64, 48, random))),
            item("blue.jpg", jpeg(solid("blue", 48, 64, random))),
            item("text.png", "not an image at all".getBytes(StandardCharsets.US_ASCII)),
            item("truncated.png", truncatedPng),
            item("huge.png", png(solid("white", 300, 300, random))),
            item("empty.png", new byte[0]),
            item("yellow.png", png(solid("yellow", 33, 20, random))));

    ImageClassification f = open(ColourModelBuilder.CLASSIFIER_ID, 50_000);
    try {
      List<ModalityResult> out = f.apply(batch);

      assertThat(out).hasSize(batch.size());
      assertClassified(out.get(0), batch.get(0), "red");
      assertClassified(out.get(1), batch.get(1), "blue");
      assertClassified(out.get(6), batch.get(6), "yellow");
      assertThat(out.get(0).attributes())
          .containsEntry("image_width", "64")
          .containsEntry("image_height", "48");
      assertError(out.get(2), batch.get(2), ErrorCode.UNSUPPORTED_MEDIA_TYPE);
      assertError(out.get(3), batch.get(3), ErrorCode.CORRUPT_INPUT);
      assertError(out.get(4), batch.get(4), ErrorCode.PIXEL_LIMIT_EXCEEDED);
      assertError(out.get(5), batch.get(5), ErrorCode.EMPTY_INPUT);
      // what the micro-batch operator emits for an item the model failed on even alone
      assertError(
          f.failed(batch.get(0), new IllegalStateException("session gone")),
          batch.get(0),
          ErrorCode.MODEL_FAILURE);
    } finally {
      f.close();
    }
  }

  @Test
  void theEmbeddingSeesAnExifRotatedJpegUpright() throws Exception {
    Random random = new Random(4);
    int red = ColourImages.label("red");
    int blue = ColourImages.label("blue");
    // displayed upright: red left, blue right; stored turned a quarter counter-clockwise, with
    // EXIF orientation 6 (turn 90 degrees clockwise to display)
    BufferedImage upright = ColourImages.halves(red, blue, true, 64, 32, MILD, random);
    BufferedImage stored = new BufferedImage(32, 64, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 64; x++) {
        stored.setRGB(y, 63 - x, upright.getRGB(x, y));
      }
    }
    byte[] jpeg = jpeg(stored);
    List<MediaItem> batch =
        List.of(
            item("upright.png", png(upright)),
            item("exif6.jpg", withExifOrientation(jpeg, 6)),
            item("no-exif.jpg", jpeg));

    ImageClassification f = open(ColourModelBuilder.EMBEDDING_ID, 1_000_000);
    try {
      List<ModalityResult> out = f.apply(batch);
      for (int i = 0; i < out.size(); i++) {
        ModalityResult r = out.get(i);
        assertThat(r.status()).isEqualTo(ResultStatus.OK);
        assertThat(r.task()).isEqualTo(Task.EMBEDDING);
        assertThat(r.modality()).isEqualTo(Modality.IMAGE);
        assertThat(r.labels()).isEmpty();
        assertThat(r.confidence()).isNull();
        assertThat(r.embedding()).hasSize(144);
        assertThat(dot(r.embedding(), r.embedding())).isCloseTo(1.0, within(1e-5));
        assertThat(r.attributes()).containsEntry("embedding_dim", "144");
        assertThat(r.provenance().modelId()).isEqualTo(ColourModelBuilder.EMBEDDING_ID);
      }
      assertThat(out.get(1).attributes())
          .containsEntry("image_width", "64")
          .containsEntry("image_height", "32");
      double rotated = dot(out.get(0).embedding(), out.get(1).embedding());
      double asStored = dot(out.get(0).embedding(), out.get(2).embedding());
      System.out.printf(
          "cosine to upright: EXIF-rotated %.3f, as stored %.3f%n", rotated, asStored);
      assertThat(rotated).isGreaterThan(0.95);
      assertThat(asStored).isLessThan(0.7);
    } finally {
      f.close();
    }
  }

  private static void assertClassified(ModalityResult r, MediaItem in, String colour) {
    assertThat(r.status()).as(in.itemId()).isEqualTo(ResultStatus.OK);
    assertThat(r.itemId()).isEqualTo(in.itemId());
    assertThat(r.modality()).isEqualTo(Modality.IMAGE);
    assertThat(r.task()).isEqualTo(Task.CLASSIFICATION);
    assertThat(r.labels()).hasSize(ColourImages.LABELS.size());
    assertThat(r.labels().get(0).label()).as(in.itemId()).isEqualTo(colour);
    assertThat(r.labels().stream().mapToDouble(Label::score).sum()).isCloseTo(1.0, within(1e-9));
    assertThat(r.confidence()).isEqualTo(r.labels().get(0).score()).isGreaterThan(0.5);
    assertThat(r.calibration()).startsWith("temperature(T=");
    assertThat(r.embedding()).isNull();
    assertThat(r.provenance().provider()).isEqualTo("onnxruntime");
    assertThat(r.provenance().modelId()).isEqualTo(ColourModelBuilder.CLASSIFIER_ID);
    assertThat(r.provenance().modelVersion())
        .isEqualTo(ColourModelBuilder.version(ColourModelBuilder.DEFAULT_SEED));
    assertThat(r.provenance().sourceUri()).isEqualTo(in.sourceUri());
    assertThat(r.provenance().contentSha256()).isEqualTo(in.contentSha256());
    assertThat(r.timing().eventTime()).isEqualTo(EVENT);
    assertThat(r.timing().latencyMs()).isGreaterThanOrEqualTo(0);
  }

  private static void assertError(ModalityResult r, MediaItem in, ErrorCode code) {
    assertThat(r.status()).as(in.itemId()).isEqualTo(ResultStatus.ERROR);
    assertThat(r.error().code()).as(in.itemId()).isEqualTo(code);
    assertThat(r.itemId()).isEqualTo(in.itemId());
    assertThat(r.modality()).isEqualTo(Modality.IMAGE);
    assertThat(r.task()).isEqualTo(Task.CLASSIFICATION);
    assertThat(r.labels()).isEmpty();
    assertThat(r.provenance().modelId()).isEqualTo(ColourModelBuilder.CLASSIFIER_ID);
  }

  private static BufferedImage solid(String colour, int w, int h, Random random) {
    return ColourImages.solid(ColourImages.label(colour), w, h, MILD, random);
  }

  private static MediaItem item(String name, byte[] bytes) throws Exception {
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    return new MediaItem(
        name,
        "0",
        null,
        EVENT,
        "file:///images/" + name,
        null,
        bytes.length,
        sha,
        bytes,
        null,
        Map.of());
  }

  private static byte[] png(BufferedImage image) throws IOException {
    return write(image, "png");
  }

  private static byte[] jpeg(BufferedImage image) throws IOException {
    return write(image, "jpg");
  }

  private static byte[] write(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(image, format, out)).isTrue();
    return out.toByteArray();
  }

  /**
   * {@code jpeg} with an Exif APP1 segment right after SOI: a big-endian TIFF header and IFD0 with
   * one entry, Orientation (tag 0x0112, SHORT).
   */
  private static byte[] withExifOrientation(byte[] jpeg, int orientation) throws IOException {
    ByteArrayOutputStream segment = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(segment);
    d.writeShort(0xFFE1);
    d.writeShort(2 + 6 + 26); // length: itself, "Exif\0\0", the TIFF bytes
    d.writeBytes("Exif");
    d.writeShort(0);
    d.writeBytes("MM");
    d.writeShort(42);
    d.writeInt(8); // IFD0 offset
    d.writeShort(1); // entries
    d.writeShort(0x0112);
    d.writeShort(3); // SHORT
    d.writeInt(1); // count
    d.writeShort(orientation);
    d.writeShort(0); // value field padding
    d.writeInt(0); // no next IFD
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2); // SOI
    out.write(segment.toByteArray());
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}
