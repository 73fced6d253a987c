package io.mmflow.operators.preprocess.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DenoiseTest {

  @Test
  void removesSaltAndPepperNoiseFromAFlatImage() {
    int w = 300;
    int h = 200;
    Random random = new Random(9);
    byte[] pixels = new byte[w * h];
    Arrays.fill(pixels, (byte) 180);
    for (int i = 0; i < pixels.length; i++) {
      double u = random.nextDouble();
      if (u < 0.03) {
        pixels[i] = 0;
      } else if (u < 0.06) {
        pixels[i] = (byte) 255;
      }
    }
    GrayImage noisy = new GrayImage(w, h, pixels);

    GrayImage clean = Denoise.median3x3(noisy);

    long before = outliers(noisy, 180);
    long after = outliers(clean, 180);
    assertThat(before).isGreaterThan(3000);
    assertThat(after).isLessThan(before / 10);
    assertThat(noisy.pixels).isEqualTo(pixels); // input untouched
  }

  @Test
  void keepsStrokesWiderThanOnePixelAndTheBorder() {
    GrayImage image = GrayImage.filled(20, 20, 255);
    for (int y = 5; y < 15; y++) {
      for (int x = 8; x < 11; x++) {
        image.set(x, y, 0); // a 3 px wide vertical bar
      }
    }
    image.set(0, 0, 0); // a speck on the border stays (borders are copied)
    image.set(15, 3, 0); // an isolated interior speck goes

    GrayImage out = Denoise.median3x3(image);

    for (int y = 6; y < 14; y++) {
      for (int x = 8; x < 11; x++) {
        assertThat(out.get(x, y)).as("(%d,%d)", x, y).isZero();
      }
    }
    assertThat(out.get(0, 0)).isZero();
    assertThat(out.get(15, 3)).isEqualTo(255);
  }

  @Test
  void equalsTheMedianOfEachThreeByThreeWindow() {
    Random random = new Random(10);
    int w = 41;
    int h = 29;
    byte[] pixels = new byte[w * h];
    random.nextBytes(pixels);
    GrayImage image = new GrayImage(w, h, pixels);

    GrayImage out = Denoise.median3x3(image);

    int[] window = new int[9];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (x == 0 || y == 0 || x == w - 1 || y == h - 1) {
          assertThat(out.get(x, y)).isEqualTo(image.get(x, y));
          continue;
        }
        int n = 0;
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            window[n++] = image.get(x + dx, y + dy);
          }
        }
        Arrays.sort(window);
        assertThat(out.get(x, y)).as("(%d,%d)", x, y).isEqualTo(window[4]);
      }
    }
  }

  @Test
  void tinyImagesAreReturnedAsTheyAre() {
    GrayImage thin = GrayImage.filled(2, 50, 3);
    assertThat(Denoise.median3x3(thin)).isSameAs(thin);
  }

  private static long outliers(GrayImage image, int value) {
    long n = 0;
    for (byte b : image.pixels) {
      if ((b & 0xFF) != value) {
        n++;
      }
    }
    return n;
  }
}
