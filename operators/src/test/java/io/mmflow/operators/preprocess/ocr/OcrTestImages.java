package io.mmflow.operators.preprocess.ocr;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Random;

/** Synthetic page images for the OCR preprocessing tests, drawn with Java2D. */
final class OcrTestImages {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  private static final String[] WORDS =
      ("the quick brown fox jumps over a lazy dog while five boxing wizards jump quickly and pack"
              + " my box with dozen liquor jugs invoice total paid March 2021 signed contract")
          .split(" ");

  private OcrTestImages() {}

  /**
   * A white page with lines of black text in a ~{@code fontPx} px sans-serif font (1.5 line
   * spacing, 10% margins), antialiased unless {@code binary}.
   */
  static BufferedImage textPage(int width, int height, int fontPx, long seed, boolean binary) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setColor(Color.BLACK);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING,
          binary
              ? RenderingHints.VALUE_TEXT_ANTIALIAS_OFF
              : RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(new Font("DejaVu Sans", Font.PLAIN, fontPx));
      FontMetrics metrics = g.getFontMetrics();
      Random random = new Random(seed);
      int margin = width / 10;
      for (int y = margin + fontPx; y < height - margin; y += fontPx * 3 / 2) {
        StringBuilder line = new StringBuilder();
        while (true) {
          String word = WORDS[random.nextInt(WORDS.length)];
          if (metrics.stringWidth(line + " " + word) > width - 2 * margin) {
            break;
          }
          line.append(line.length() == 0 ? "" : " ").append(word);
        }
        g.drawString(line.toString(), margin, y);
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  static GrayImage textPage(int width, int height, int fontPx, long seed) {
    return GrayImage.from(textPage(width, height, fontPx, seed, false));
  }

  /** Fraction of pixels equal to 0. */
  static double blackFraction(GrayImage image) {
    long black = 0;
    for (byte b : image.pixels) {
      if (b == 0) {
        black++;
      }
    }
    return black / (double) image.pixels.length;
  }

  /** True when every pixel is 0 or 255. */
  static boolean isBinary(GrayImage image) {
    for (byte b : image.pixels) {
      if (b != 0 && b != (byte) 255) {
        return false;
      }
    }
    return true;
  }
}
