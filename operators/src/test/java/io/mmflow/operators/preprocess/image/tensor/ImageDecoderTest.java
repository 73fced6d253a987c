package io.mmflow.operators.preprocess.image.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {
  private static final long LIMIT = 10_000_000L;

  /** 64 x 32 upright: a red 16 x 16 block in the top-left corner, the rest blue. */
  private static int upright(int x, int y) {
    return x < 16 && y < 16 ? 0xFF0000 : 0x0000FF;
  }

  @ParameterizedTest
  @ValueSource(ints = {6, 8})
  void exifRotatedJpegComesOutUpright(int orientation) throws IOException {
    // store the pixels as a camera held sideways would, and say so with EXIF Orientation
    BufferedImage stored = new BufferedImage(32, 64, BufferedImage.TYPE_INT_RGB);
    for (int sy = 0; sy < 64; sy++) {
      for (int sx = 0; sx < 32; sx++) {
        // 6: displayed = stored rotated 90 deg clockwise; 8: counter-clockwise
        int x = orientation == 6 ? 63 - sy : sy;
        int y = orientation == 6 ? sx : 31 - sx;
        stored.setRGB(sx, sy, upright(x, y));
      }
    }
    byte[] jpeg = withExifOrientation(write(stored, "jpg"), orientation);
    assertThat(ImageDecoder.orientation(jpeg)).isEqualTo(orientation);

    BufferedImage image = ImageDecoder.decode(jpeg, LIMIT);

    assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertThat(image.getWidth()).isEqualTo(64);
    assertThat(image.getHeight()).isEqualTo(32);
    assertColor(image, 4, 4, 0xFF0000);
    assertColor(image, 12, 12, 0xFF0000);
    assertColor(image, 60, 4, 0x0000FF);
    assertColor(image, 4, 28, 0x0000FF);
    assertColor(image, 60, 28, 0x0000FF);
  }

  @Test
  void everyOrientationIsUndoneExactly() {
    BufferedImage up = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 5; x++) {
        up.setRGB(x, y, y * 5 + x);
      }
    }
    // stored images for orientations 1..8, made with the inverse transforms
    for (int o = 1; o <= 8; o++) {
      boolean swap = o >= 5;
      BufferedImage stored =
          new BufferedImage(swap ? 3 : 5, swap ? 5 : 3, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 3; y++) {
        for (int x = 0; x < 5; x++) {
          int[] s =
              switch (o) {
                case 1 -> new int[] {x, y};
                case 2 -> new int[] {4 - x, y};
                case 3 -> new int[] {4 - x, 2 - y};
                case 4 -> new int[] {x, 2 - y};
                case 5 -> new int[] {y, x};
                case 6 -> new int[] {y, 4 - x};
                case 7 -> new int[] {2 - y, 4 - x};
                default -> new int[] {2 - y, x};
              };
          stored.setRGB(s[0], s[1], up.getRGB(x, y));
        }
      }
      BufferedImage back = ImageDecoder.orient(stored, o);
      assertThat(back.getRGB(0, 0, 5, 3, null, 0, 5))
          .as("orientation %d", o)
          .containsExactly(up.getRGB(0, 0, 5, 3, null, 0, 5));
    }
  }

  @Test
  void pngClaimingTenBillionPixelsIsRefusedFromItsHeader() {
    // IHDR says 100000 x 100000, 8-bit RGB; the IDAT is garbage that would fail if decoded
    byte[] bomb = png(100_000, 100_000, 2, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});

    assertThatThrownBy(() -> ImageDecoder.decode(bomb, LIMIT))
        .isInstanceOfSatisfying(
            MmflowException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.PIXEL_LIMIT_EXCEEDED))
        .hasMessageContaining("100000x100000");
    assertThatThrownBy(() -> ImageTensors.toTensor(bomb, ImageTensorSpec.imagenet(224, 224)))
        .isInstanceOfSatisfying(
            MmflowException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.PIXEL_LIMIT_EXCEEDED));
    // the same header with a small size reaches the pixels, which are corrupt
    assertThatThrownBy(() -> ImageDecoder.decode(png(10, 10, 2, new byte[] {1, 2, 3}), LIMIT))
        .isInstanceOfSatisfying(
            MmflowException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_INPUT));
  }

  @ParameterizedTest
  @ValueSource(strings = {"gif", "bmp", "tiff", "png", "jpg"})
  void decodesTheFormatsImageIoWrites(String format) throws IOException {
    BufferedImage image = new BufferedImage(48, 32, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 48; x++) {
        image.setRGB(x, y, upright(x, y));
      }
    }
    byte[] bytes = write(image, format);

    BufferedImage decoded = ImageDecoder.decode(bytes, LIMIT);

    assertThat(decoded.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertThat(decoded.getWidth()).isEqualTo(48);
    assertThat(decoded.getHeight()).isEqualTo(32);
    assertColor(decoded, 4, 4, 0xFF0000);
    assertColor(decoded, 40, 28, 0x0000FF);
  }

  @Test
  void decodesALosslessWebp() {
    // a hand-made VP8L file: every prefix code has one symbol, so each pixel takes no bits
    byte[] webp = uniformLosslessWebp(7, 5, 0x20, 0xC0, 0x60);

    BufferedImage decoded = ImageDecoder.decode(webp, LIMIT);

    assertThat(decoded.getWidth()).isEqualTo(7);
    assertThat(decoded.getHeight()).isEqualTo(5);
    assertThat(decoded.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 5; y++) {
      for (int x = 0; x < 7; x++) {
        assertThat(decoded.getRGB(x, y) & 0xFFFFFF).isEqualTo(0x20C060);
      }
    }
  }

  @Test
  void transparencyIsCompositedOnWhite() throws IOException {
    BufferedImage argb = new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(0, 0, 0x00FF0000); // transparent red
    argb.setRGB(1, 0, 0xFF00FF00); // opaque green
    argb.setRGB(2, 0, 0x80000000); // half black

    BufferedImage decoded = ImageDecoder.decode(write(argb, "png"), LIMIT);

    assertThat(decoded.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    assertThat(decoded.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0x00FF00);
    assertThat((decoded.getRGB(2, 0) >> 8) & 0xFF).isBetween(126, 128);
  }

  @Test
  void unknownCorruptAndEmptyBytesGetCodes() throws IOException {
    assertCode(
        () -> ImageDecoder.decode("not an image at all".getBytes(StandardCharsets.US_ASCII), LIMIT),
        ErrorCode.UNSUPPORTED_MEDIA_TYPE);
    assertCode(() -> ImageDecoder.decode(new byte[0], LIMIT), ErrorCode.EMPTY_INPUT);
    byte[] gif = write(new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB), "gif");
    assertCode(() -> ImageDecoder.decode(Arrays.copyOf(gif, 12), LIMIT), ErrorCode.CORRUPT_INPUT);
    byte[] png = write(new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB), "png");
    assertCode(
        () -> ImageDecoder.decode(Arrays.copyOf(png, png.length / 2), LIMIT),
        ErrorCode.CORRUPT_INPUT);
  }

  private static void assertCode(Runnable call, ErrorCode code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(MmflowException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  private static void assertColor(BufferedImage image, int x, int y, int rgb) {
    int p = image.getRGB(x, y);
    for (int shift = 0; shift <= 16; shift += 8) {
      assertThat((p >> shift) & 0xFF)
          .as("pixel %d,%d is %06x, expected about %06x", x, y, p & 0xFFFFFF, rgb)
          .isCloseTo((rgb >> shift) & 0xFF, org.assertj.core.data.Offset.offset(40));
    }
  }

  static byte[] write(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(image, format, out)) {
      throw new IllegalStateException("no ImageIO writer for " + format);
    }
    return out.toByteArray();
  }

  /**
   * {@code jpeg} with an APP1 Exif segment (big-endian TIFF, IFD0 with one entry: Orientation)
   * inserted after SOI and the JFIF APP0 segment.
   */
  static byte[] withExifOrientation(byte[] jpeg, int orientation) throws IOException {
    ByteArrayOutputStream tiff = new ByteArrayOutputStream();
    DataOutputStream t = new DataOutputStream(tiff);
    t.writeBytes("MM");
    t.writeShort(42);
    t.writeInt(8); // IFD0 right after the header
    t.writeShort(1); // one entry
    t.writeShort(0x0112); // Orientation
    t.writeShort(3); // SHORT
    t.writeInt(1); // one value
    t.writeShort(orientation);
    t.writeShort(0); // the 4-byte value field's padding
    t.writeInt(0); // no IFD1
    byte[] body = tiff.toByteArray();

    ByteArrayOutputStream app1 = new ByteArrayOutputStream();
    DataOutputStream a = new DataOutputStream(app1);
    a.writeShort(0xFFE1);
    a.writeShort(2 + 6 + body.length);
    a.writeBytes("Exif");
    a.writeShort(0);
    a.write(body);

    assertThat(jpeg[0] & 0xFF).isEqualTo(0xFF);
    assertThat(jpeg[1] & 0xFF).isEqualTo(0xD8);
    int at = 2;
    if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) { // skip JFIF APP0
      at = 4 + (((jpeg[4] & 0xFF) << 8) | (jpeg[5] & 0xFF));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, at);
    out.write(app1.toByteArray());
    out.write(jpeg, at, jpeg.length - at);
    return out.toByteArray();
  }

  /** A PNG with the given IHDR size and colour type and {@code idat} as its only IDAT chunk. */
  static byte[] png(int width, int height, int colorType, byte[] idat) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      DataOutputStream d = new DataOutputStream(out);
      d.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
      ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
      DataOutputStream h = new DataOutputStream(ihdr);
      h.writeInt(width);
      h.writeInt(height);
      h.writeByte(8); // bit depth
      h.writeByte(colorType);
      h.writeByte(0); // deflate
      h.writeByte(0); // adaptive filtering
      h.writeByte(0); // no interlace
      chunk(d, "IHDR", ihdr.toByteArray());
      chunk(d, "IDAT", idat);
      chunk(d, "IEND", new byte[0]);
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void chunk(DataOutputStream d, String type, byte[] data) throws IOException {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    d.writeInt(data.length);
    d.write(t);
    d.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    d.writeInt((int) crc.getValue());
  }

  /**
   * A lossless WebP (RIFF, one VP8L chunk) of one colour. Bitstream (WebP lossless spec, RFC 9649
   * section 3): signature 0x2f; 14 bits width-1, 14 bits height-1, alpha hint, 3 bits version 0; no
   * transform; no colour cache; no meta prefix codes; then five "simple" prefix codes (green, red,
   * blue, alpha, distance), each of one 8-bit symbol. Single-symbol codes have zero-length codes,
   * so the pixels need no further bits.
   */
  static byte[] uniformLosslessWebp(int width, int height, int r, int g, int b) {
    BitWriter bits = new BitWriter();
    bits.write(0x2f, 8);
    bits.write(width - 1, 14);
    bits.write(height - 1, 14);
    bits.write(0, 1); // alpha not used
    bits.write(0, 3); // version
    bits.write(0, 1); // no transform
    bits.write(0, 1); // no colour cache
    bits.write(0, 1); // no meta prefix codes
    for (int symbol : new int[] {g, r, b, 255, 0}) {
      bits.write(1, 1); // simple code
      bits.write(0, 1); // one symbol
      bits.write(1, 1); // 8-bit symbol
      bits.write(symbol, 8);
    }
    byte[] vp8l = bits.bytes();
    int padded = vp8l.length + (vp8l.length & 1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("RIFF".getBytes(StandardCharsets.US_ASCII));
    writeLe32(out, 4 + 8 + padded);
    out.writeBytes("WEBPVP8L".getBytes(StandardCharsets.US_ASCII));
    writeLe32(out, vp8l.length);
    out.writeBytes(vp8l);
    if ((vp8l.length & 1) == 1) {
      out.write(0);
    }
    return out.toByteArray();
  }

  private static void writeLe32(ByteArrayOutputStream out, int v) {
    out.write(v);
    out.write(v >>> 8);
    out.write(v >>> 16);
    out.write(v >>> 24);
  }

  /** Least-significant-bit-first bit packing, as VP8L reads. */
  private static final class BitWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private long acc;
    private int count;

    void write(int value, int n) {
      acc |= ((long) value & ((1L << n) - 1)) << count;
      count += n;
      while (count >= 8) {
        out.write((int) (acc & 0xFF));
        acc >>>= 8;
        count -= 8;
      }
    }

    byte[] bytes() {
      if (count > 0) {
        out.write((int) (acc & 0xFF));
        acc = 0;
        count = 0;
      }
      return out.toByteArray();
    }
  }
}
