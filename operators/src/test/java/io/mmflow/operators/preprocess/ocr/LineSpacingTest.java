package io.mmflow.operators.preprocess.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LineSpacingTest {

  @Test
  void findsTheSpacingOfTextLinesOfEverySize() {
    // OcrTestImages sets lines 1.5 font sizes apart
    for (int fontPx : new int[] {8, 12, 16, 24, 40}) {
      GrayImage page = OcrTestImages.textPage(1200, 1600, fontPx, fontPx);

      assertThat(LineSpacing.pitch(page))
          .as("font %d px", fontPx)
          .isCloseTo(fontPx * 3 / 2, within(1.0));
    }
  }

  @Test
  void findsTheSpacingOnAGrayNoisyPage() {
    GrayImage clean = OcrTestImages.textPage(1200, 1600, 20, 3);
    Random random = new Random(4);
    byte[] pixels = new byte[clean.pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      double v = 90 + 80 * (clean.pixels[i] & 0xFF) / 255.0 + random.nextGaussian() * 12;
      pixels[i] = (byte) Math.max(0, Math.min(255, Math.round(v)));
    }

    assertThat(LineSpacing.pitch(new GrayImage(clean.width, clean.height, pixels)))
        .isCloseTo(30, within(1.0));
  }

  @Test
  void saysNothingWithoutRegularLines() {
    byte[] white = new byte[800 * 600];
    Arrays.fill(white, (byte) 255);
    assertThat(LineSpacing.pitch(new GrayImage(800, 600, white))).isNaN();

    // random blobs: ink, but no period
    byte[] blobs = white.clone();
    Random random = new Random(5);
    for (int b = 0; b < 40; b++) {
      int cx = random.nextInt(800);
      int cy = random.nextInt(600);
      int r = 5 + random.nextInt(40);
      for (int y = Math.max(0, cy - r); y < Math.min(600, cy + r); y++) {
        for (int x = Math.max(0, cx - r); x < Math.min(800, cx + r); x++) {
          blobs[y * 800 + x] = 0;
        }
      }
    }
    assertThat(LineSpacing.pitch(new GrayImage(800, 600, blobs))).isNaN();

    // a page too short to hold several lines
    assertThat(LineSpacing.pitch(OcrTestImages.textPage(800, 12, 8, 1))).isNaN();
  }
}
