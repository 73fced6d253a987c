package io.mmflow.operators.preprocess.image;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.operators.preprocess.page.Page;
import io.mmflow.operators.preprocess.page.PageLimits;
import java.awt.image.BufferedImage;
import java.util.Set;
import java.util.function.Consumer;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import org.w3c.dom.NodeList;

/**
 * Decodes images into pages with ImageIO: PNG, JPEG, BMP, GIF and TIFF (every frame of a multi-page
 * TIFF is a page) from the JDK, WebP through the TwelveMonkeys plugin, JPEG 2000 through
 * jai-imageio-jpeg2000. The pixel count is read from the header and checked before any pixel is
 * decoded, so a decompression bomb never allocates its image. The resolution comes from the image's
 * metadata where it records one.
 */
public final class ImagePages {
  /** Media types this class decodes. */
  public static final Set<String> TYPES =
      Set.of(
          "image/png",
          "image/jpeg",
          "image/tiff",
          "image/bmp",
          "image/gif",
          "image/webp",
          "image/jp2",
          "image/jpx");

  private ImagePages() {}

  /**
   * Hands each page of {@code bytes} to {@code sink}.
   *
   * @throws MmflowException PIXEL_LIMIT_EXCEEDED, PAGE_LIMIT_EXCEEDED, UNSUPPORTED_MEDIA_TYPE or
   *     CORRUPT_INPUT
   */
  public static int split(byte[] bytes, PageLimits limits, Consumer<Page> sink) {
    return ImageReaders.read(
        bytes,
        false,
        reader -> {
          int frames = reader.getNumImages(true);
          if (frames > limits.maxPages()) {
            throw new MmflowException(
                ErrorCode.PAGE_LIMIT_EXCEEDED,
                "the image has " + frames + " pages, over the limit of " + limits.maxPages());
          }
          for (int i = 0; i < frames; i++) {
            ImageReaders.checkPixels(
                reader, i, limits.maxPixels(), "page " + (i + 1), "mmflow.ocr.max-pixels");
            int dpi = dpi(reader.getImageMetadata(i), limits.defaultImageDpi());
            BufferedImage image = reader.read(i);
            sink.accept(Page.image(i + 1, image, dpi));
          }
          return frames;
        });
  }

  /** Resolution from the standard metadata tree (millimetres per pixel), else the default. */
  static int dpi(IIOMetadata metadata, int fallback) {
    if (metadata == null || !metadata.isStandardMetadataFormatSupported()) {
      return fallback;
    }
    IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(IIOMetadataFormatImplStandard.NAME);
    NodeList nodes = root.getElementsByTagName("HorizontalPixelSize");
    if (nodes.getLength() == 0) {
      return fallback;
    }
    try {
      double mmPerPixel =
          Double.parseDouble(((IIOMetadataNode) nodes.item(0)).getAttribute("value"));
      int dpi = (int) Math.round(25.4 / mmPerPixel);
      return dpi >= 50 && dpi <= 2400 ? dpi : fallback;
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static final class IIOMetadataFormatImplStandard {
    static final String NAME =
        javax.imageio.metadata.IIOMetadataFormatImpl.standardMetadataFormatName;
  }
}
