package io.mmflow.operators.preprocess.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class OrientationTest {
  private static GrayImage random(int w, int h) {
    byte[] pixels = new byte[w * h];
    new Random(w * 31L + h).nextBytes(pixels);
    return new GrayImage(w, h, pixels);
  }

  @Test
  void quarterTurnIsClockwise() {
    GrayImage image = random(150, 70); // wider than a tile, not a multiple of one

    GrayImage turned = Orientation.rotate90(image, 1);

    assertThat(turned.width).isEqualTo(70);
    assertThat(turned.height).isEqualTo(150);
    for (int y = 0; y < image.height; y++) {
      for (int x = 0; x < image.width; x++) {
        // clockwise: the top-left corner goes to the top-right
        assertThat(turned.get(image.height - 1 - y, x)).isEqualTo(image.get(x, y));
      }
    }
  }

  @Test
  void halfAndThreeQuarterTurns() {
    GrayImage image = random(9, 5);

    GrayImage half = Orientation.rotate90(image, 2);
    GrayImage threeQuarters = Orientation.rotate90(image, 3);

    assertThat(half.width).isEqualTo(9);
    assertThat(threeQuarters.width).isEqualTo(5);
    for (int y = 0; y < 5; y++) {
      for (int x = 0; x < 9; x++) {
        assertThat(half.get(8 - x, 4 - y)).isEqualTo(image.get(x, y));
        assertThat(threeQuarters.get(y, 8 - x)).isEqualTo(image.get(x, y));
      }
    }
  }

  @Test
  void turnsCompose() {
    GrayImage image = random(130, 67);

    assertThat(Orientation.rotate90(image, 0)).isSameAs(image);
    assertThat(Orientation.rotate90(Orientation.rotate90(image, 1), 3).pixels)
        .isEqualTo(image.pixels);
    assertThat(Orientation.rotate90(Orientation.rotate90(image, 1), 1).pixels)
        .isEqualTo(Orientation.rotate90(image, 2).pixels);
    assertThat(Orientation.rotate90(image, -1).pixels)
        .isEqualTo(Orientation.rotate90(image, 3).pixels);
    assertThat(Orientation.rotate90(image, 5).pixels)
        .isEqualTo(Orientation.rotate90(image, 1).pixels);
  }
}
