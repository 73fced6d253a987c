package io.mmflow.operators.preprocess.ocr;

import io.mmflow.core.model.BoundingBox;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.SampleModel;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import java.util.Arrays;
import java.util.Objects;

/**
 * A compact 8-bit grayscale image: {@code width * height} unsigned bytes in row-major order, 0 =
 * black .. 255 = white.
 *
 * <p>The preprocessing steps of this package never modify their input; they return a new image, or
 * the input itself when the step is a no-op. The pixel array is exposed for speed, so callers that
 * write into it own that image.
 */
public final class GrayImage {
  /** Fixed-point (16-bit) ITU-R BT.601 luma weights: 0.299, 0.587, 0.114; they sum to 65536. */
  private static final int LUMA_R = 19595;

  private static final int LUMA_G = 38470;
  private static final int LUMA_B = 7471;

  public final int width;
  public final int height;

  /** Row-major pixels, unsigned: read them as {@code pixels[y * width + x] & 0xFF}. */
  public final byte[] pixels;

  /** Wraps (does not copy) {@code pixels}, which must hold exactly {@code width * height} bytes. */
  public GrayImage(int width, int height, byte[] pixels) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("size must be positive: " + width + "x" + height);
    }
    Objects.requireNonNull(pixels, "pixels");
    if (pixels.length != Math.multiplyExact(width, height)) {
      throw new IllegalArgumentException(
          "pixels.length " + pixels.length + " != " + width + "x" + height);
    }
    this.width = width;
    this.height = height;
    this.pixels = pixels;
  }

  /** A new image of the given size with every pixel set to {@code value} (0..255). */
  public static GrayImage filled(int width, int height, int value) {
    checkValue(value);
    byte[] p = new byte[Math.multiplyExact(Math.max(width, 0), Math.max(height, 0))];
    Arrays.fill(p, (byte) value);
    return new GrayImage(width, height, p);
  }

  /** The pixel at (x, y), 0..255. */
  public int get(int x, int y) {
    checkBounds(x, y);
    return pixels[y * width + x] & 0xFF;
  }

  /** Sets the pixel at (x, y) to {@code value} (0..255). */
  public void set(int x, int y, int value) {
    checkBounds(x, y);
    checkValue(value);
    pixels[y * width + x] = (byte) value;
  }

  /** A deep copy. */
  public GrayImage copy() {
    return new GrayImage(width, height, pixels.clone());
  }

  /**
   * Converts any {@link BufferedImage} to gray. Color is reduced to luma per ITU-R BT.601 ({@code Y
   * = 0.299 R + 0.587 G + 0.114 B}, on the stored sRGB values, no linearization); translucent
   * pixels are composited on white first. 8-bit gray, 3/4-byte (A)BGR and packed int (A)RGB images
   * are read straight from their raster data; gray images keep their stored sample values (scaled
   * to 8 bits); anything else goes through {@link BufferedImage#getRGB(int, int, int, int, int[],
   * int, int)} one row at a time.
   */
  public static GrayImage from(BufferedImage image) {
    Objects.requireNonNull(image, "image");
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] out = new byte[Math.multiplyExact(w, h)];
    WritableRaster raster = image.getRaster();
    ColorModel cm = image.getColorModel();
    SampleModel sm = raster.getSampleModel();
    DataBuffer db = raster.getDataBuffer();
    int tx = raster.getSampleModelTranslateX();
    int ty = raster.getSampleModelTranslateY();

    if (db instanceof DataBufferByte bytes
        && db.getNumBanks() == 1
        && sm instanceof ComponentSampleModel csm
        && cm instanceof ComponentColorModel
        && all8Bit(sm)
        && readComponentBytes(bytes, csm, cm, tx, ty, w, h, out)) {
      return new GrayImage(w, h, out);
    }
    if (db instanceof DataBufferInt ints
        && sm instanceof SinglePixelPackedSampleModel spsm
        && cm instanceof DirectColorModel dcm
        && dcm.getColorSpace().isCS_sRGB()
        && dcm.getRedMask() == 0x00FF0000
        && dcm.getGreenMask() == 0x0000FF00
        && dcm.getBlueMask() == 0x000000FF
        && (dcm.getAlphaMask() == 0 || dcm.getAlphaMask() == 0xFF000000)) {
      readPackedInts(ints, spsm, dcm, tx, ty, w, h, out);
      return new GrayImage(w, h, out);
    }
    if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY
        && sm.getNumBands() == 1
        && !cm.hasAlpha()) {
      int max = (1 << sm.getSampleSize(0)) - 1;
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        raster.getSamples(0, y, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          out[y * w + x] = (byte) ((row[x] * 255L + max / 2) / max);
        }
      }
      return new GrayImage(w, h, out);
    }
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int argb = row[x];
        int l = luma((argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF);
        out[y * w + x] = (byte) overWhite(l, argb >>> 24);
      }
    }
    return new GrayImage(w, h, out);
  }

  /** A copy of the rectangle {@code box} of this image. */
  public GrayImage crop(BoundingBox box) {
    byte[] out = new byte[Math.multiplyExact(box.width(), box.height())];
    for (int y = 0; y < box.height(); y++) {
      System.arraycopy(pixels, (box.y() + y) * width + box.x(), out, y * box.width(), box.width());
    }
    return new GrayImage(box.width(), box.height(), out);
  }

  /** A new {@link BufferedImage#TYPE_BYTE_GRAY} image holding a copy of the pixels. */
  public BufferedImage toBufferedImage() {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    byte[] dst = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    System.arraycopy(pixels, 0, dst, 0, pixels.length);
    return image;
  }

  @Override
  public String toString() {
    return "GrayImage[" + width + "x" + height + "]";
  }

  /** BT.601 luma of 8-bit R, G, B, rounded. */
  static int luma(int r, int g, int b) {
    return (LUMA_R * r + LUMA_G * g + LUMA_B * b + 32768) >> 16;
  }

  /** {@code v} (not premultiplied) with alpha {@code a} composited over white. */
  private static int overWhite(int v, int a) {
    return a == 255 ? v : (v * a + 255 * (255 - a) + 127) / 255;
  }

  private static boolean readComponentBytes(
      DataBufferByte db,
      ComponentSampleModel sm,
      ColorModel cm,
      int tx,
      int ty,
      int w,
      int h,
      byte[] out) {
    ColorSpace cs = cm.getColorSpace();
    int bands = sm.getNumBands();
    boolean alpha = cm.hasAlpha();
    boolean gray = cs.getType() == ColorSpace.TYPE_GRAY && bands == (alpha ? 2 : 1);
    boolean rgb = cs.isCS_sRGB() && bands == (alpha ? 4 : 3);
    if (!gray && !rgb) {
      return false;
    }
    for (int bank : sm.getBankIndices()) {
      if (bank != 0) {
        return false;
      }
    }
    byte[] data = db.getData();
    int base = db.getOffset();
    int ps = sm.getPixelStride();
    int ss = sm.getScanlineStride();
    int[] off = sm.getBandOffsets();
    boolean premultiplied = cm.isAlphaPremultiplied();
    for (int y = 0; y < h; y++) {
      int row = base + (y - ty) * ss + (-tx) * ps;
      int o = y * w;
      if (gray && !alpha) {
        int i = row + off[0];
        if (ps == 1) {
          System.arraycopy(data, i, out, o, w);
        } else {
          for (int x = 0; x < w; x++, i += ps) {
            out[o + x] = data[i];
          }
        }
        continue;
      }
      int aOff = alpha ? off[bands - 1] : 0;
      for (int x = 0, i = row; x < w; x++, i += ps) {
        int l =
            gray
                ? data[i + off[0]] & 0xFF
                : luma(data[i + off[0]] & 0xFF, data[i + off[1]] & 0xFF, data[i + off[2]] & 0xFF);
        if (alpha) {
          int a = data[i + aOff] & 0xFF;
          l = premultiplied ? Math.min(255, l + 255 - a) : overWhite(l, a);
        }
        out[o + x] = (byte) l;
      }
    }
    return true;
  }

  private static void readPackedInts(
      DataBufferInt db,
      SinglePixelPackedSampleModel sm,
      DirectColorModel cm,
      int tx,
      int ty,
      int w,
      int h,
      byte[] out) {
    int[] data = db.getData();
    int ss = sm.getScanlineStride();
    int base = db.getOffset();
    boolean alpha = cm.hasAlpha();
    boolean premultiplied = cm.isAlphaPremultiplied();
    for (int y = 0; y < h; y++) {
      int i = base + (y - ty) * ss - tx;
      int o = y * w;
      for (int x = 0; x < w; x++) {
        int p = data[i + x];
        int l = luma((p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF);
        if (alpha) {
          int a = p >>> 24;
          l = premultiplied ? Math.min(255, l + 255 - a) : overWhite(l, a);
        }
        out[o + x] = (byte) l;
      }
    }
  }

  private static boolean all8Bit(SampleModel sm) {
    for (int size : sm.getSampleSize()) {
      if (size != 8) {
        return false;
      }
    }
    return true;
  }

  private void checkBounds(int x, int y) {
    if (x < 0 || y < 0 || x >= width || y >= height) {
      throw new IndexOutOfBoundsException("(" + x + ", " + y + ") outside " + this);
    }
  }

  private static void checkValue(int value) {
    if (value < 0 || value > 255) {
      throw new IllegalArgumentException("value must be 0..255: " + value);
    }
  }
}
