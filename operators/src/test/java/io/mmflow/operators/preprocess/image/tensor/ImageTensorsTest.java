package io.mmflow.operators.preprocess.image.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.mmflow.operators.preprocess.image.tensor.ImageTensor.Placement;
import io.mmflow.operators.preprocess.image.tensor.ImageTensorSpec.ChannelOrder;
import io.mmflow.operators.preprocess.image.tensor.ImageTensorSpec.ResizeMode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageTensorsTest {
  private static final float[] MEAN = ImageTensorSpec.IMAGENET_MEAN;
  private static final float[] STD = ImageTensorSpec.IMAGENET_STD;

  @Test
  void whiteImageGivesOneMinusMeanOverStdInEveryChannel() {
    ImageTensor t =
        ImageTensors.toTensor(filled(640, 480, Color.WHITE), ImageTensorSpec.imagenet(224, 224));

    assertThat(t.shape()).containsExactly(1, 3, 224, 224);
    assertThat(t.data()).hasSize(3 * 224 * 224);
    for (int c = 0; c < 3; c++) {
      float expected = (1f - MEAN[c]) / STD[c];
      for (int y = 0; y < 224; y++) {
        for (int x = 0; x < 224; x++) {
          assertThat(t.get(0, c, y, x)).isCloseTo(expected, within(1e-4f));
        }
      }
    }
  }

  @Test
  void pureRedIsHighInTheRedPlaneAndLowInTheOthers() {
    ImageTensor t =
        ImageTensors.toTensor(filled(50, 30, Color.RED), ImageTensorSpec.imagenet(16, 16));

    float red = (1f - MEAN[0]) / STD[0];
    float green = -MEAN[1] / STD[1];
    float blue = -MEAN[2] / STD[2];
    assertThat(t.get(0, 0, 8, 8)).isCloseTo(red, within(1e-4f)).isGreaterThan(2f);
    assertThat(t.get(0, 1, 8, 8)).isCloseTo(green, within(1e-4f)).isLessThan(-1.5f);
    assertThat(t.get(0, 2, 8, 8)).isCloseTo(blue, within(1e-4f)).isLessThan(-1.5f);
    // every value lies between the normalized 0 and 255 of its channel
    for (int i = 0; i < t.data().length; i++) {
      int c = i / (16 * 16);
      assertThat(t.data()[i]).isBetween(-MEAN[c] / STD[c] - 1e-4f, (1 - MEAN[c]) / STD[c] + 1e-4f);
    }
  }

  @Test
  void bgrOrderPutsBlueFirstAndAppliesScaleMeanAndStdPerTensorChannel() {
    ImageTensorSpec spec =
        new ImageTensorSpec(
            8,
            8,
            ResizeMode.CENTER_CROP,
            new float[] {10, 20, 30},
            new float[] {2, 4, 5},
            ChannelOrder.BGR,
            1f,
            0,
            1000);
    ImageTensor t = ImageTensors.toTensor(filled(8, 8, new Color(200, 100, 50)), spec);

    assertThat(t.get(0, 0, 3, 3)).isEqualTo((50f - 10) / 2); // blue
    assertThat(t.get(0, 1, 3, 3)).isEqualTo((100f - 20) / 4); // green
    assertThat(t.get(0, 2, 3, 3)).isEqualTo((200f - 30) / 5); // red
  }

  @Test
  void centerCropOfAWideImageKeepsTheCentreStripe() {
    // 300 x 100: red | green | blue stripes of 100 px; the crop of the square centre is green
    BufferedImage stripes = new BufferedImage(300, 100, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = stripes.createGraphics();
    g.setColor(Color.RED);
    g.fillRect(0, 0, 100, 100);
    g.setColor(Color.GREEN);
    g.fillRect(100, 0, 100, 100);
    g.setColor(Color.BLUE);
    g.fillRect(200, 0, 100, 100);
    g.dispose();

    ImageTensor t = ImageTensors.toTensor(stripes, unitSpec(32, 32, ResizeMode.CENTER_CROP, 0));

    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        assertThat(t.get(0, 0, y, x)).as("R at %d,%d", x, y).isCloseTo(0f, within(1e-4f));
        assertThat(t.get(0, 1, y, x)).as("G at %d,%d", x, y).isCloseTo(1f, within(1e-4f));
        assertThat(t.get(0, 2, y, x)).as("B at %d,%d", x, y).isCloseTo(0f, within(1e-4f));
      }
    }
    Placement p = t.placements()[0];
    assertThat(p.scale()).isCloseTo(0.32, within(1e-9));
    assertThat(p.offsetX()).isEqualTo(-32); // 96 px wide after scaling, 32 cut on each side
    assertThat(p.toSourceX(0)).isCloseTo(100, within(1e-9));
  }

  @Test
  void padModeLetterboxesWithTheFillValue() {
    // 200 x 100 white into 40 x 40: 40 x 20 of image, 10 rows of padding above and below
    ImageTensor t =
        ImageTensors.toTensor(filled(200, 100, Color.WHITE), unitSpec(40, 40, ResizeMode.PAD, 114));

    float pad = 114f / 255f;
    for (int c = 0; c < 3; c++) {
      for (int x = 0; x < 40; x++) {
        for (int y = 0; y < 10; y++) {
          assertThat(t.get(0, c, y, x)).isCloseTo(pad, within(1e-5f));
          assertThat(t.get(0, c, 39 - y, x)).isCloseTo(pad, within(1e-5f));
        }
        for (int y = 10; y < 30; y++) {
          assertThat(t.get(0, c, y, x)).isCloseTo(1f, within(1e-5f));
        }
      }
    }
    assertThat(t.placements()[0]).isEqualTo(new Placement(0.2, 0, 10));
  }

  @Test
  void downscalingAveragesAreasAndUpscalingInterpolates() {
    // a 1-px checkerboard reduced 4x is flat gray (point sampling would give black or white)
    BufferedImage checker = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        checker.setRGB(x, y, (x + y) % 2 == 0 ? 0xFFFFFF : 0);
      }
    }
    ImageTensor small = ImageTensors.toTensor(checker, unitSpec(16, 16, ResizeMode.CENTER_CROP, 0));
    for (float v : small.data()) {
      assertThat(v).isCloseTo(0.5f, within(1e-4f));
    }

    // 2 px black | white enlarged to 8 px: 0, 0, 0.25, 0.75 ... mirrored (half-pixel centres)
    BufferedImage two = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
    two.setRGB(1, 0, 0xFFFFFF);
    ImageTensor big = ImageTensors.toTensor(two, unitSpec(8, 4, ResizeMode.CENTER_CROP, 0));
    float[] expected = {0, 0, 0.125f, 0.375f, 0.625f, 0.875f, 1, 1};
    for (int x = 0; x < 8; x++) {
      assertThat(big.get(0, 1, 2, x)).as("x=%d", x).isCloseTo(expected[x], within(1e-5f));
    }
  }

  @Test
  void batchesWriteEachImageIntoItsOwnSlot() {
    ImageTensorSpec spec = unitSpec(4, 4, ResizeMode.PAD, 0);
    ImageTensor batch =
        ImageTensors.toBatch(
            List.of(
                filled(10, 10, Color.RED), filled(10, 10, Color.BLUE), filled(5, 5, Color.WHITE)),
            spec);

    assertThat(batch.shape()).containsExactly(3, 3, 4, 4);
    assertThat(batch.get(0, 0, 1, 1)).isEqualTo(1f);
    assertThat(batch.get(0, 2, 1, 1)).isEqualTo(0f);
    assertThat(batch.get(1, 0, 1, 1)).isEqualTo(0f);
    assertThat(batch.get(1, 2, 1, 1)).isEqualTo(1f);
    assertThat(batch.get(2, 1, 3, 3)).isEqualTo(1f);

    FloatBuffer direct =
        ByteBuffer.allocateDirect(2 * spec.floatsPerImage() * 4)
            .order(ByteOrder.nativeOrder())
            .asFloatBuffer();
    ImageTensors.write(filled(10, 10, Color.BLUE), spec, direct, 1);
    assertThat(direct.position()).isZero();
    assertThat(direct.get(spec.floatsPerImage() + 2 * 16 + 5)).isEqualTo(1f); // slot 1, B plane
    assertThat(direct.get(2 * 16 + 5)).isEqualTo(0f); // slot 0 untouched
    assertThatThrownBy(() -> ImageTensors.write(filled(2, 2, Color.RED), spec, direct, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void bytesAreDecodedUprightAndGrayIsKeptLevelForLevel() throws IOException {
    BufferedImage gray = new BufferedImage(20, 20, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 20; y++) {
      for (int x = 0; x < 20; x++) {
        gray.getRaster().setSample(x, y, 0, 128);
      }
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(gray, "png", png);

    ImageTensor t = ImageTensors.toTensor(png.toByteArray(), unitSpec(10, 10, ResizeMode.PAD, 0));

    for (float v : t.data()) {
      assertThat(v).isCloseTo(128f / 255f, within(1e-5f));
    }
  }

  @Test
  void specValidationNamesTheBadValue() {
    assertThatThrownBy(() -> unitSpec(0, 10, ResizeMode.PAD, 0))
        .hasMessageContaining("width must be in 1..16384: 0");
    assertThatThrownBy(() -> unitSpec(10, 10, ResizeMode.PAD, 300))
        .hasMessageContaining("pad value must be in 0..255: 300");
    assertThatThrownBy(
            () ->
                new ImageTensorSpec(
                    1,
                    1,
                    ResizeMode.PAD,
                    new float[] {0, 0},
                    new float[] {1, 1, 1},
                    ChannelOrder.RGB,
                    1,
                    0,
                    1))
        .hasMessageContaining("mean must have 3 values");
    assertThatThrownBy(
            () ->
                new ImageTensorSpec(
                    1,
                    1,
                    ResizeMode.PAD,
                    new float[3],
                    new float[] {1, 0, 1},
                    ChannelOrder.RGB,
                    1,
                    0,
                    1))
        .hasMessageContaining("std must be finite and > 0");
    assertThatThrownBy(() -> ImageTensorSpec.imagenet(4, 4).withMaxPixels(0))
        .hasMessageContaining("max pixels must be > 0");
    float[] mean = {1, 2, 3};
    ImageTensorSpec spec =
        new ImageTensorSpec(
            1, 1, ResizeMode.PAD, mean, new float[] {1, 1, 1}, ChannelOrder.RGB, 1, 0, 1);
    mean[0] = 9;
    spec.mean()[1] = 9;
    assertThat(spec.mean()).containsExactly(1, 2, 3);
    assertThat(spec).isEqualTo(spec.withMaxPixels(1)).isNotEqualTo(spec.withMaxPixels(2));
  }

  /** Scale 1/255, mean 0, std 1: tensor values are the pixel levels in 0..1. */
  static ImageTensorSpec unitSpec(int w, int h, ResizeMode mode, int pad) {
    return new ImageTensorSpec(
        w, h, mode, new float[3], new float[] {1, 1, 1}, ChannelOrder.RGB, 1f / 255f, pad, 1 << 24);
  }

  static BufferedImage filled(int w, int h, Color color) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, w, h);
    g.dispose();
    return image;
  }
}
