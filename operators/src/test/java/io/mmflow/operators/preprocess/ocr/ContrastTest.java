package io.mmflow.operators.preprocess.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ContrastTest {
  private static int[] minMax(GrayImage image) {
    int min = 255;
    int max = 0;
    for (byte b : image.pixels) {
      min = Math.min(min, b & 0xFF);
      max = Math.max(max, b & 0xFF);
    }
    return new int[] {min, max};
  }

  @Test
  void stretchesANarrowRangeToTheFullRange() {
    Random random = new Random(2);
    byte[] pixels = new byte[200 * 100];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (100 + random.nextInt(51));
    }
    GrayImage image = new GrayImage(200, 100, pixels);

    GrayImage out = Contrast.normalize(image);

    assertThat(minMax(image)).containsExactly(100, 150);
    assertThat(minMax(out)).containsExactly(0, 255);
    // the 1st and 99th percentiles (~100.5 and ~149.5) sit at the ends
    int[] hist = Contrast.histogram(out);
    assertThat(Contrast.percentile(hist, pixels.length, 5)).isBetween(5, 25);
    assertThat(Contrast.percentile(hist, pixels.length, 50)).isBetween(115, 140);
    assertThat(Contrast.percentile(hist, pixels.length, 95)).isBetween(230, 250);
    // monotonic: the order of gray levels is kept
    for (int i = 1; i < pixels.length; i++) {
      if ((pixels[i] & 0xFF) > (pixels[i - 1] & 0xFF)) {
        assertThat(out.pixels[i] & 0xFF).isGreaterThanOrEqualTo(out.pixels[i - 1] & 0xFF);
      }
    }
    // the input is not modified
    assertThat(minMax(image)).containsExactly(100, 150);
    // the histogram handed on with the stretched image is the stretched image's
    Contrast.Stretched stretched = Contrast.stretch(image, Contrast.histogram(image), 1, 99);
    assertThat(stretched.image().pixels).isEqualTo(out.pixels);
    assertThat(stretched.histogram()).isEqualTo(hist);
  }

  @Test
  void explicitPercentilesClipTheTails() {
    byte[] pixels = new byte[100];
    for (int i = 0; i < 100; i++) {
      pixels[i] = (byte) (50 + i); // 50..149, one pixel each
    }
    GrayImage out = Contrast.normalize(new GrayImage(10, 10, pixels), 10, 90);

    // levels up to the 10th percentile (59) become 0, from the 90th (139) on 255
    assertThat(out.get(9, 0)).isEqualTo(0);
    assertThat(out.get(0, 1)).isGreaterThan(0);
    assertThat(out.get(9, 8)).isEqualTo(255);
    assertThat(out.get(8, 8)).isLessThan(255);
  }

  @Test
  void degenerateRangeIsANoOp() {
    GrayImage flat = GrayImage.filled(50, 40, 180);
    assertThat(Contrast.normalize(flat)).isSameAs(flat);

    // a nearly blank page (range below MIN_RANGE) is not blown up into noise
    Random random = new Random(3);
    byte[] pixels = new byte[50 * 40];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (240 + random.nextInt(Contrast.MIN_RANGE - 4));
    }
    GrayImage nearlyBlank = new GrayImage(50, 40, pixels);
    assertThat(Contrast.normalize(nearlyBlank)).isSameAs(nearlyBlank);
  }

  @Test
  void rejectsBadPercentiles() {
    GrayImage image = GrayImage.filled(2, 2, 0);
    assertThatThrownBy(() -> Contrast.normalize(image, 50, 50))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Contrast.normalize(image, -1, 99))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Contrast.normalize(image, 1, 101))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
