package io.mmflow.operators.preprocess.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BinarizationTest {

  @Test
  void otsuThresholdLiesBetweenTheModesOfABimodalImage() {
    Random random = new Random(4);
    int w = 200;
    int h = 100;
    byte[] pixels = new byte[w * h];
    for (int i = 0; i < pixels.length; i++) {
      int mode = (i % w) < w / 2 ? 60 : 200;
      pixels[i] = (byte) Math.max(0, Math.min(255, Math.round(mode + random.nextGaussian() * 8)));
    }
    GrayImage image = new GrayImage(w, h, pixels);

    int t = Binarization.otsuThreshold(image);
    GrayImage out = Binarization.otsu(image);

    assertThat(t).isBetween(110, 150);
    assertThat(OcrTestImages.isBinary(out)).isTrue();
    assertThat(OcrTestImages.blackFraction(out))
        .isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.001));
    assertThat(out.get(10, 10)).isEqualTo(0);
    assertThat(out.get(190, 10)).isEqualTo(255);
  }

  @Test
  void otsuOnASingleLevelImageKeepsPaperWhiteAndInkBlack() {
    assertThat(Binarization.otsuThreshold(GrayImage.filled(10, 10, 240))).isEqualTo(127);
    assertThat(OcrTestImages.blackFraction(Binarization.otsu(GrayImage.filled(10, 10, 240))))
        .isZero();
    assertThat(OcrTestImages.blackFraction(Binarization.otsu(GrayImage.filled(10, 10, 20))))
        .isEqualTo(1.0);
  }

  @Test
  void otsuMatchesAnExhaustiveSearchOfTheBetweenClassVariance() {
    Random random = new Random(5);
    for (int trial = 0; trial < 20; trial++) {
      byte[] pixels = new byte[500];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (byte) (random.nextBoolean() ? random.nextInt(256) : 100 + random.nextInt(40));
      }
      GrayImage image = new GrayImage(25, 20, pixels);
      int t = Binarization.otsuThreshold(image);

      assertThat(betweenClassVariance(pixels, t))
          .isGreaterThanOrEqualTo(maxBetweenClassVariance(pixels) * (1 - 1e-9));
    }
  }

  private static double betweenClassVariance(byte[] pixels, int t) {
    double n0 = 0;
    double n1 = 0;
    double s0 = 0;
    double s1 = 0;
    for (byte b : pixels) {
      int v = b & 0xFF;
      if (v <= t) {
        n0++;
        s0 += v;
      } else {
        n1++;
        s1 += v;
      }
    }
    if (n0 == 0 || n1 == 0) {
      return 0;
    }
    double d = s0 / n0 - s1 / n1;
    return n0 * n1 * d * d;
  }

  private static double maxBetweenClassVariance(byte[] pixels) {
    double best = 0;
    for (int t = 0; t < 255; t++) {
      best = Math.max(best, betweenClassVariance(pixels, t));
    }
    return best;
  }

  /**
   * Text under light that falls from left to right: the paper goes from 90 (left) to 230 (right),
   * ink is 30% of the local paper level.
   */
  private static final class UnevenPage {
    final GrayImage image;
    final boolean[] ink;
    final boolean[] farFromInk;

    UnevenPage(int w, int h) {
      GrayImage clean = GrayImage.from(OcrTestImages.textPage(w, h, 40, 6, true));
      Random random = new Random(7);
      byte[] pixels = new byte[w * h];
      ink = new boolean[w * h];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int i = y * w + x;
          double paper = 90 + 140.0 * x / (w - 1);
          ink[i] = clean.pixels[i] == 0;
          double v = (ink[i] ? 0.3 * paper : paper) + random.nextGaussian() * 3;
          pixels[i] = (byte) Math.max(0, Math.min(255, Math.round(v)));
        }
      }
      image = new GrayImage(w, h, pixels);
      farFromInk = new boolean[w * h];
      int d = 3;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          boolean far = true;
          for (int dy = -d; dy <= d && far; dy++) {
            for (int dx = -d; dx <= d && far; dx++) {
              int yy = y + dy;
              int xx = x + dx;
              if (yy >= 0 && yy < h && xx >= 0 && xx < w && ink[yy * w + xx]) {
                far = false;
              }
            }
          }
          farFromInk[y * w + x] = far;
        }
      }
    }

    /** Fraction of paper pixels (away from strokes) in columns [x0, x1) that came out black. */
    double paperBlack(GrayImage binary, int x0, int x1) {
      long paper = 0;
      long black = 0;
      for (int y = 0; y < image.height; y++) {
        for (int x = x0; x < x1; x++) {
          int i = y * image.width + x;
          if (farFromInk[i]) {
            paper++;
            if (binary.pixels[i] == 0) {
              black++;
            }
          }
        }
      }
      return black / (double) paper;
    }

    /** Fraction of ink pixels in columns [x0, x1) that came out black. */
    double inkBlack(GrayImage binary, int x0, int x1) {
      long total = 0;
      long black = 0;
      for (int y = 0; y < image.height; y++) {
        for (int x = x0; x < x1; x++) {
          int i = y * image.width + x;
          if (ink[i]) {
            total++;
            if (binary.pixels[i] == 0) {
              black++;
            }
          }
        }
      }
      return black / (double) total;
    }
  }

  @Test
  void sauvolaHandlesUnevenLightWhereOtsuFails() {
    UnevenPage page = new UnevenPage(900, 500);
    int third = page.image.width / 3;

    GrayImage sauvola = Binarization.sauvola(page.image);
    GrayImage otsu = Binarization.otsu(page.image);

    assertThat(OcrTestImages.isBinary(sauvola)).isTrue();
    double sauvolaDarkSide = page.paperBlack(sauvola, 0, third);
    double otsuDarkSide = page.paperBlack(otsu, 0, third);
    assertThat(sauvolaDarkSide).isLessThan(0.05);
    assertThat(otsuDarkSide).isGreaterThan(0.5);
    assertThat(page.paperBlack(sauvola, 2 * third, page.image.width)).isLessThan(0.05);
    // and the text stays dark on both sides
    assertThat(page.inkBlack(sauvola, 0, third)).isGreaterThan(0.8);
    assertThat(page.inkBlack(sauvola, 2 * third, page.image.width)).isGreaterThan(0.8);
  }

  @Test
  void sauvolaMatchesTheFormulaComputedDirectly() {
    Random random = new Random(8);
    int[][] sizes = {{40, 30, 7}, {13, 50, 25}, {5, 4, 25}, {31, 17, 1}, {64, 9, 8}};
    for (int[] size : sizes) {
      int w = size[0];
      int h = size[1];
      int window = size[2];
      byte[] pixels = new byte[w * h];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] =
            (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : 150 + random.nextInt(60));
      }
      GrayImage image = new GrayImage(w, h, pixels);
      double k = 0.34;

      GrayImage out = Binarization.sauvola(image, window, k);

      int r = window / 2;
      int mismatches = 0;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double sum = 0;
          double sq = 0;
          int n = 0;
          for (int yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
            for (int xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
              int v = image.get(xx, yy);
              sum += v;
              sq += v * v;
              n++;
            }
          }
          double m = sum / n;
          double s = Math.sqrt(Math.max(0, sq / n - m * m));
          double t = m * (1 + k * (s / 128 - 1));
          int expected = image.get(x, y) <= t ? 0 : 255;
          // allow ties within rounding of the threshold
          if (out.get(x, y) != expected && Math.abs(image.get(x, y) - t) > 1e-6) {
            mismatches++;
          }
        }
      }
      assertThat(mismatches).as("%dx%d window %d", w, h, window).isZero();
    }
  }

  @Test
  void sauvolaRejectsBadParameters() {
    GrayImage image = GrayImage.filled(4, 4, 100);
    assertThatThrownBy(() -> Binarization.sauvola(image, 0, 0.34))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Binarization.sauvola(image, 25, 1.5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
