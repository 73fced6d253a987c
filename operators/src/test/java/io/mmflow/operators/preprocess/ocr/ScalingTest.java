package io.mmflow.operators.preprocess.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ScalingTest {

  @Test
  void halvingTheResolutionHalvesTheSize() {
    GrayImage image = OcrTestImages.textPage(850, 1100, 40, 12);

    GrayImage half = Scaling.toDpi(image, 300, 150);

    assertThat(half.width).isEqualTo(425);
    assertThat(half.height).isEqualTo(550);
    // area averaging: the mean gray level is kept
    assertThat(mean(half)).isCloseTo(mean(image), org.assertj.core.data.Offset.offset(0.5));
  }

  @Test
  void downscalingByTwoAveragesTwoByTwoBlocks() {
    Random random = new Random(13);
    byte[] pixels = new byte[40 * 30];
    random.nextBytes(pixels);
    GrayImage image = new GrayImage(40, 30, pixels);

    GrayImage half = Scaling.toDpi(image, 400, 200);

    for (int y = 0; y < 15; y++) {
      for (int x = 0; x < 20; x++) {
        int sum =
            image.get(2 * x, 2 * y)
                + image.get(2 * x + 1, 2 * y)
                + image.get(2 * x, 2 * y + 1)
                + image.get(2 * x + 1, 2 * y + 1);
        assertThat(half.get(x, y)).isBetween((sum - 2) / 4, (sum + 5) / 4);
      }
    }
  }

  @Test
  void upscalingInterpolatesBilinearly() {
    GrayImage ramp = new GrayImage(4, 1, new byte[] {0, 100, (byte) 200, (byte) 240});

    GrayImage up = Scaling.toDpi(ramp, 100, 200);

    assertThat(up.width).isEqualTo(8);
    assertThat(up.height).isEqualTo(2);
    // output pixel centers at source x = -0.25 (clamped), 0.25, 0.75, ..., 3.25 (clamped)
    int[] expected = {0, 25, 75, 125, 175, 210, 230, 240};
    for (int x = 0; x < 8; x++) {
      assertThat(up.get(x, 0)).as("x=%d", x).isBetween(expected[x] - 1, expected[x] + 1);
      assertThat(up.get(x, 1)).isEqualTo(up.get(x, 0));
    }
  }

  @Test
  void sameResolutionIsANoOpAndFlatStaysFlat() {
    GrayImage flat = GrayImage.filled(97, 53, 200);
    assertThat(Scaling.toDpi(flat, 300, 300)).isSameAs(flat);

    GrayImage odd = Scaling.toDpi(flat, 300, 213);
    assertThat(odd.width).isEqualTo(69);
    assertThat(odd.height).isEqualTo(38);
    for (byte b : odd.pixels) {
      assertThat(b & 0xFF).isEqualTo(200);
    }
    assertThat(Scaling.toDpi(GrayImage.filled(1, 1, 9), 72, 300).get(3, 3)).isEqualTo(9);
  }

  @Test
  void rejectsNonPositiveResolutions() {
    GrayImage image = GrayImage.filled(4, 4, 0);
    assertThatThrownBy(() -> Scaling.toDpi(image, 0, 300))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Scaling.resize(image, 4, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static double mean(GrayImage image) {
    long sum = 0;
    for (byte b : image.pixels) {
      sum += b & 0xFF;
    }
    return sum / (double) image.pixels.length;
  }
}
