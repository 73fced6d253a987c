package io.mmflow.operators.preprocess.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mmflow.core.model.BoundingBox;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GrayImageTest {
  private static final int[] COLORS = {0xFF0000, 0x00FF00, 0x0000FF, 0xFFFFFF, 0x000000};

  /** round(255 * (0.299, 0.587, 0.114)), 255, 0. */
  private static final int[] LUMA = {76, 150, 29, 255, 0};

  @ParameterizedTest
  @ValueSource(
      ints = {
        BufferedImage.TYPE_INT_RGB,
        BufferedImage.TYPE_INT_ARGB,
        BufferedImage.TYPE_INT_ARGB_PRE,
        BufferedImage.TYPE_INT_BGR,
        BufferedImage.TYPE_3BYTE_BGR,
        BufferedImage.TYPE_4BYTE_ABGR,
        BufferedImage.TYPE_4BYTE_ABGR_PRE,
        BufferedImage.TYPE_USHORT_565_RGB,
        BufferedImage.TYPE_BYTE_INDEXED
      })
  void primariesMapToBt601Luma(int type) {
    BufferedImage image = new BufferedImage(COLORS.length, 2, type);
    for (int x = 0; x < COLORS.length; x++) {
      image.setRGB(x, 0, 0xFF000000 | COLORS[x]);
      image.setRGB(x, 1, 0xFF000000 | COLORS[x]);
    }

    GrayImage gray = GrayImage.from(image);

    assertThat(gray.width).isEqualTo(COLORS.length);
    assertThat(gray.height).isEqualTo(2);
    for (int x = 0; x < COLORS.length; x++) {
      int expected = LUMA[x];
      if (type == BufferedImage.TYPE_BYTE_INDEXED) {
        // the default 6x6x6 palette holds these colors exactly except for rounding of its levels
        assertThat(gray.get(x, 0)).as("x=%d", x).isBetween(expected - 2, expected + 2);
      } else {
        assertThat(gray.get(x, 0)).as("x=%d", x).isEqualTo(expected);
        assertThat(gray.get(x, 1)).as("x=%d", x).isEqualTo(expected);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(
      ints = {
        BufferedImage.TYPE_INT_ARGB,
        BufferedImage.TYPE_INT_ARGB_PRE,
        BufferedImage.TYPE_4BYTE_ABGR,
        BufferedImage.TYPE_4BYTE_ABGR_PRE
      })
  void translucentPixelsAreCompositedOnWhite(int type) {
    BufferedImage image = new BufferedImage(3, 1, type);
    image.setRGB(0, 0, 0x00000000); // fully transparent black
    image.setRGB(1, 0, 0x80000000); // half transparent black
    image.setRGB(2, 0, 0xFF000000); // opaque black

    GrayImage gray = GrayImage.from(image);

    assertThat(gray.get(0, 0)).isEqualTo(255);
    assertThat(gray.get(1, 0)).isBetween(125, 129);
    assertThat(gray.get(2, 0)).isEqualTo(0);
  }

  @Test
  void cropCopiesTheBoxRowByRow() {
    // 5 x 4, pixel (x, y) = 10 y + x: the 3 x 2 box at (1, 2) holds 21 22 23 / 31 32 33
    byte[] px = new byte[20];
    for (int i = 0; i < 20; i++) {
      px[i] = (byte) (10 * (i / 5) + i % 5);
    }
    GrayImage image = new GrayImage(5, 4, px);

    GrayImage cut = image.crop(new BoundingBox(1, 2, 3, 2));

    assertThat(cut.width).isEqualTo(3);
    assertThat(cut.height).isEqualTo(2);
    assertThat(cut.pixels).containsExactly(21, 22, 23, 31, 32, 33);
    cut.pixels[0] = 0;
    assertThat(image.get(1, 2)).isEqualTo(21);
  }

  @Test
  void grayImagesKeepTheirStoredValues() {
    BufferedImage gray8 = new BufferedImage(256, 1, BufferedImage.TYPE_BYTE_GRAY);
    BufferedImage gray16 = new BufferedImage(256, 1, BufferedImage.TYPE_USHORT_GRAY);
    for (int v = 0; v < 256; v++) {
      gray8.getRaster().setSample(v, 0, 0, v);
      gray16.getRaster().setSample(v, 0, 0, v * 257);
    }

    GrayImage a = GrayImage.from(gray8);
    GrayImage b = GrayImage.from(gray16);

    for (int v = 0; v < 256; v++) {
      assertThat(a.get(v, 0)).isEqualTo(v);
      assertThat(b.get(v, 0)).isEqualTo(v);
    }
  }

  @Test
  void roundTripThroughBufferedImageKeepsPixels() {
    byte[] pixels = new byte[37 * 23];
    new Random(1).nextBytes(pixels);
    GrayImage image = new GrayImage(37, 23, pixels.clone());

    BufferedImage buffered = image.toBufferedImage();
    GrayImage back = GrayImage.from(buffered);

    assertThat(buffered.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
    assertThat(back.width).isEqualTo(37);
    assertThat(back.height).isEqualTo(23);
    assertThat(back.pixels).isEqualTo(pixels);
    // a copy: writing the buffered image leaves the gray image alone
    buffered.getRaster().setSample(0, 0, 0, (pixels[0] & 0xFF) ^ 0xFF);
    assertThat(image.pixels[0]).isEqualTo(pixels[0]);
  }

  @Test
  void subimagesAreReadAtTheirOffset() {
    BufferedImage rgb = new BufferedImage(10, 10, BufferedImage.TYPE_3BYTE_BGR);
    BufferedImage ints = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
    for (BufferedImage image : new BufferedImage[] {rgb, ints}) {
      var g = image.createGraphics();
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, 10, 10);
      g.setColor(Color.BLACK);
      g.fillRect(5, 5, 1, 1);
      g.dispose();

      GrayImage sub = GrayImage.from(image.getSubimage(4, 3, 4, 5));

      assertThat(sub.width).isEqualTo(4);
      assertThat(sub.height).isEqualTo(5);
      for (int y = 0; y < 5; y++) {
        for (int x = 0; x < 4; x++) {
          assertThat(sub.get(x, y)).as("(%d,%d)", x, y).isEqualTo(x == 1 && y == 2 ? 0 : 255);
        }
      }
    }
  }

  @Test
  void validatesSizeAndBounds() {
    assertThatThrownBy(() -> new GrayImage(2, 2, new byte[3]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GrayImage(0, 2, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    GrayImage image = GrayImage.filled(3, 2, 7);
    assertThat(image.get(2, 1)).isEqualTo(7);
    assertThatThrownBy(() -> image.get(3, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> image.set(0, 0, 256)).isInstanceOf(IllegalArgumentException.class);
  }
}
