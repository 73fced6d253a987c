package io.mmflow.operators.preprocess.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeskewTest {
  private static GrayImage page;

  @BeforeAll
  static void renderPage() {
    page = OcrTestImages.textPage(1400, 1000, 40, 11);
  }

  @ParameterizedTest
  @ValueSource(ints = {2551, 1000, 999, 3007})
  void countsTheDarkPixelsOfEachReducedBlock(int width) {
    // widths that reduce by 3, 1 and 4, with columns and rows left over at the edges
    int height = 307;
    Random random = new Random(width);
    byte[] pixels = new byte[width * height];
    random.nextBytes(pixels);
    GrayImage image = new GrayImage(width, height, pixels);
    int threshold = 100;
    int f = (int) Math.ceil(width / 1000.0);
    int rw = width / f;
    int rh = height / f;

    int[] dims = new int[2];
    int[] counts = Deskew.darkCounts(image, threshold, dims);

    assertThat(dims).containsExactly(rw, rh);
    int[] expected = new int[rw * rh];
    for (int y = 0; y < rh * f; y++) {
      for (int x = 0; x < rw * f; x++) {
        if ((pixels[y * width + x] & 0xFF) <= threshold) {
          expected[(y / f) * rw + x / f]++;
        }
      }
    }
    assertThat(counts).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(doubles = {3.0, -5.5, 0.0, 0.7, -9.2})
  void estimatesTheSkewOfARotatedPage(double degrees) {
    GrayImage skewed = Deskew.rotate(page, degrees);

    double estimate = Deskew.estimateAngle(skewed, 10, 0.1);

    assertThat(estimate).isCloseTo(degrees, within(0.3));
  }

  @Test
  void deskewedPageHasNoSkewLeft() {
    GrayImage skewed = Deskew.rotate(page, 4.2);

    GrayImage straight = Deskew.deskew(skewed, 10);

    assertThat(straight).isNotSameAs(skewed);
    assertThat(straight.width).isEqualTo(page.width);
    assertThat(straight.height).isEqualTo(page.height);
    assertThat(Deskew.estimateAngle(straight, 10, 0.1)).isCloseTo(0.0, within(0.3));
  }

  @Test
  void straightPageIsLeftAlone() {
    assertThat(Deskew.deskew(page, 10)).isSameAs(page);
  }

  @Test
  void positiveAnglesTurnTheContentCounterClockwise() {
    // a horizontal bar across the middle: rotated by +10 degrees, its right end rises
    GrayImage bar = GrayImage.filled(400, 400, 255);
    for (int y = 198; y < 202; y++) {
      for (int x = 50; x < 350; x++) {
        bar.set(x, y, 0);
      }
    }

    GrayImage turned = Deskew.rotate(bar, 10);

    assertThat(centerOfInkInColumn(turned, 80)).isGreaterThan(215);
    assertThat(centerOfInkInColumn(turned, 320)).isLessThan(185);
    // and the estimate reports the same sign
    assertThat(Deskew.estimateAngle(turned, 15, 0.1)).isCloseTo(10, within(0.3));
  }

  @Test
  void rotationFillsTheCornersWithTheGivenLevel() {
    GrayImage gray = GrayImage.filled(200, 100, 150);

    GrayImage white = Deskew.rotate(gray, 20);
    GrayImage paper = Deskew.rotate(gray, 20, 150);

    assertThat(white.get(0, 0)).isEqualTo(255);
    assertThat(white.get(100, 50)).isEqualTo(150);
    assertThat(paper.get(0, 0)).isEqualTo(150);
    assertThat(OcrTestImages.blackFraction(paper)).isZero();
    for (byte b : paper.pixels) {
      assertThat(b & 0xFF).isEqualTo(150);
    }
  }

  @Test
  void rotationBackAndForthRestoresTheInterior() {
    GrayImage there = Deskew.rotate(page, 5);
    GrayImage back = Deskew.rotate(there, -5);

    long diff = 0;
    long n = 0;
    for (int y = 200; y < 800; y++) {
      for (int x = 200; x < 1200; x++) {
        diff += Math.abs(back.get(x, y) - page.get(x, y));
        n++;
      }
    }
    // two bilinear resamplings blur edges a little, nothing more
    assertThat(diff / (double) n).isLessThan(8);
    assertThat(Deskew.rotate(page, 0)).isSameAs(page);
  }

  @Test
  void backgroundLevelIsThePaperLevel() {
    GrayImage gray = GrayImage.filled(100, 100, 170);
    for (int y = 40; y < 60; y++) {
      for (int x = 10; x < 90; x++) {
        gray.set(x, y, 40);
      }
    }
    assertThat(Deskew.backgroundLevel(gray)).isEqualTo(170);
    assertThat(Deskew.backgroundLevel(page)).isEqualTo(255);
  }

  @Test
  void blankPageHasNoSkew() {
    assertThat(Deskew.estimateAngle(GrayImage.filled(800, 600, 255), 10, 0.1)).isZero();
    assertThat(Deskew.estimateAngle(GrayImage.filled(800, 600, 0), 10, 0.1)).isZero();
  }

  @Test
  void rejectsBadSearchRanges() {
    assertThatThrownBy(() -> Deskew.estimateAngle(page, 0, 0.1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Deskew.estimateAngle(page, 50, 0.1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Deskew.estimateAngle(page, 5, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static double centerOfInkInColumn(GrayImage image, int x) {
    double sum = 0;
    double weight = 0;
    for (int y = 0; y < image.height; y++) {
      int ink = 255 - image.get(x, y);
      sum += ink * y;
      weight += ink;
    }
    return sum / weight;
  }
}
