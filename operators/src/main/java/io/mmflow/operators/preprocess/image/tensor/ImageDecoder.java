package io.mmflow.operators.preprocess.image.tensor;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.operators.preprocess.image.ImageReaders;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;

/**
 * Decodes JPEG, PNG, TIFF, BMP and GIF (the JDK's ImageIO readers) and WebP (TwelveMonkeys) into an
 * upright {@link BufferedImage#TYPE_INT_RGB} image: the first frame of multi-frame files, the size
 * checked against the pixel limit from the header before any pixel is decoded, the EXIF orientation
 * (TIFF tag 274, read with metadata-extractor) applied, alpha composited on white, and gray levels
 * copied to R, G and B unchanged (as PIL's {@code convert("RGB")} does; Java2D would treat 8-bit
 * gray as linear and brighten it).
 */
public final class ImageDecoder {
  private ImageDecoder() {}

  /**
   * Decodes the first frame of {@code bytes}, upright, as TYPE_INT_RGB.
   *
   * @throws MmflowException EMPTY_INPUT, UNSUPPORTED_MEDIA_TYPE (no decoder recognizes the bytes),
   *     PIXEL_LIMIT_EXCEEDED (width x height over {@code maxPixels}) or CORRUPT_INPUT
   */
  public static BufferedImage decode(byte[] bytes, long maxPixels) {
    if (bytes == null || bytes.length == 0) {
      throw new MmflowException(ErrorCode.EMPTY_INPUT, "the image has no bytes");
    }
    BufferedImage decoded =
        ImageReaders.read(
            bytes,
            true,
            reader -> {
              ImageReaders.checkPixels(
                  reader, 0, maxPixels, "the image", "refused before decoding");
              return reader.read(0);
            });
    return orient(toRgb(decoded), orientation(bytes));
  }

  /**
   * The EXIF orientation (1..8) of IFD0 in JPEG, TIFF, PNG or WebP metadata; 1 (upright) when
   * absent, out of range or unreadable.
   */
  public static int orientation(byte[] bytes) {
    try {
      Metadata metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes));
      for (ExifIFD0Directory dir : metadata.getDirectoriesOfType(ExifIFD0Directory.class)) {
        Integer o = dir.getInteger(ExifIFD0Directory.TAG_ORIENTATION);
        if (o != null && o >= 1 && o <= 8) {
          return o;
        }
      }
    } catch (Exception | StackOverflowError e) {
      // metadata is optional: an image whose EXIF cannot be read is shown as stored
    }
    return 1;
  }

  /**
   * {@code image} as TYPE_INT_RGB: returned as is when it already is; gray (with or without alpha,
   * 8 or 16 bits) copied level for level; anything else (indexed, RGB of other layouts, CMYK) drawn
   * with Java2D. Transparent pixels are composited on white.
   */
  public static BufferedImage toRgb(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_INT_RGB) {
      return image;
    }
    int w = image.getWidth();
    int h = image.getHeight();
    BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    if (isGray(image)) {
      Raster raster = image.getRaster();
      int bands = raster.getNumBands();
      int bits = image.getColorModel().getComponentSize(0);
      int max = (1 << bits) - 1;
      int[] gray = new int[w];
      int[] alpha = new int[w];
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        raster.getSamples(0, y, w, 1, 0, gray);
        if (bands > 1) {
          raster.getSamples(0, y, w, 1, 1, alpha);
        }
        for (int x = 0; x < w; x++) {
          double g = gray[x] * 255.0 / max;
          if (bands > 1) {
            double a = alpha[x] / (double) ((1 << image.getColorModel().getComponentSize(1)) - 1);
            g = g * a + 255 * (1 - a);
          }
          int v = (int) Math.round(g);
          row[x] = (v << 16) | (v << 8) | v;
        }
        rgb.setRGB(0, y, w, 1, row, 0, w);
      }
      return rgb;
    }
    Graphics2D g = rgb.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, h);
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return rgb;
  }

  /**
   * Applies EXIF orientation {@code orientation} (1..8) to an RGB image, so that the result is
   * upright: 2 mirror, 3 rotate 180, 4 flip, 5 transpose, 6 rotate 90 clockwise, 7 transverse, 8
   * rotate 90 counter-clockwise. Returns {@code image} itself for 1 or an unknown value.
   */
  public static BufferedImage orient(BufferedImage image, int orientation) {
    if (orientation < 2 || orientation > 8) {
      return image;
    }
    int sw = image.getWidth();
    int sh = image.getHeight();
    boolean swap = orientation >= 5;
    int w = swap ? sh : sw;
    int h = swap ? sw : sh;
    int[] src = image.getRGB(0, 0, sw, sh, null, 0, sw);
    int[] dst = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int sx;
        int sy;
        switch (orientation) {
          case 2 -> {
            sx = sw - 1 - x;
            sy = y;
          }
          case 3 -> {
            sx = sw - 1 - x;
            sy = sh - 1 - y;
          }
          case 4 -> {
            sx = x;
            sy = sh - 1 - y;
          }
          case 5 -> {
            sx = y;
            sy = x;
          }
          case 6 -> {
            sx = y;
            sy = sh - 1 - x;
          }
          case 7 -> {
            sx = sw - 1 - y;
            sy = sh - 1 - x;
          }
          default -> { // 8
            sx = sw - 1 - y;
            sy = x;
          }
        }
        dst[y * w + x] = src[sy * sw + sx];
      }
    }
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    out.setRGB(0, 0, w, h, dst, 0, w);
    return out;
  }

  private static boolean isGray(BufferedImage image) {
    return image.getColorModel() instanceof ComponentColorModel cm
        && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY
        && cm.getNumColorComponents() == 1
        && (image.getRaster().getTransferType() == DataBuffer.TYPE_BYTE
            || image.getRaster().getTransferType() == DataBuffer.TYPE_USHORT);
  }
}
