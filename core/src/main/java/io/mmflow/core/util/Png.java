package io.mmflow.core.util;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** PNG encoding that keeps an image's resolution. */
public final class Png {
  private static final double INCHES_PER_METRE = 1 / 0.0254;
  private static final String FORMAT = "javax_imageio_png_1.0";

  private Png() {}

  /**
   * PNG bytes of {@code image} with {@code dpi} in the pHYs chunk (pixels per metre), which
   * ImageIO, the jobs' page splitter and the tesseract CLI read back.
   */
  public static byte[] encode(BufferedImage image, int dpi) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
    try {
      ImageWriteParam param = writer.getDefaultWriteParam();
      IIOMetadata metadata =
          writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
      String perMetre = Long.toString(Math.round(dpi * INCHES_PER_METRE));
      IIOMetadataNode phys = new IIOMetadataNode("pHYs");
      phys.setAttribute("pixelsPerUnitXAxis", perMetre);
      phys.setAttribute("pixelsPerUnitYAxis", perMetre);
      phys.setAttribute("unitSpecifier", "meter");
      IIOMetadataNode root = new IIOMetadataNode(FORMAT);
      root.appendChild(phys);
      metadata.mergeTree(FORMAT, root);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
        writer.setOutput(out);
        writer.write(null, new IIOImage(image, null, metadata), param);
      }
      return bytes.toByteArray();
    } catch (IIOInvalidTreeException e) {
      throw new IllegalStateException("the PNG writer refused a pHYs chunk", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // into memory
    } finally {
      writer.dispose();
    }
  }
}
