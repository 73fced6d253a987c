package io.mmflow.operators.preprocess.image;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Opens image bytes with the ImageIO reader that recognizes them (TwelveMonkeys' WebP among them),
 * for OCR pages and for model tensors alike: one place for the memory-backed stream, the reader's
 * disposal, the coded errors, and the pixel limit read from the header before any decoding.
 */
public final class ImageReaders {
  static {
    ImageIO.scanForPlugins(); // registers plugins (WebP) from the job jar's class loader
  }

  private ImageReaders() {}

  /** Work on an open reader. */
  public interface ReaderWork<T> {
    T apply(ImageReader reader) throws IOException;
  }

  /**
   * Runs {@code work} on a reader over {@code bytes}.
   *
   * @param seekForwardOnly true when only the first image is read (ImageIO may then skip the rest)
   * @throws MmflowException UNSUPPORTED_MEDIA_TYPE when no reader recognizes the bytes; the work's
   *     own coded errors; CORRUPT_INPUT for anything else that fails
   */
  public static <T> T read(byte[] bytes, boolean seekForwardOnly, ReaderWork<T> work) {
    // a memory-backed stream: ImageIO's default for streams caches them in a temporary file
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new MmflowException(
            ErrorCode.UNSUPPORTED_MEDIA_TYPE, "no image decoder recognizes these bytes");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, seekForwardOnly, seekForwardOnly);
        return work.apply(reader);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof MmflowException coded) {
        throw coded;
      }
      throw new MmflowException(
          ErrorCode.CORRUPT_INPUT, "cannot decode the image: " + e.getMessage(), e);
    }
  }

  /**
   * Refuses image {@code index} when its header size is over {@code maxPixels}, before decoding.
   *
   * @param what how the message names the image, e.g. "the image" or "page 3"
   * @param limitName where the limit is set, for the message in parentheses
   */
  public static void checkPixels(
      ImageReader reader, int index, long maxPixels, String what, String limitName)
      throws IOException {
    long w = reader.getWidth(index);
    long h = reader.getHeight(index);
    if (w <= 0 || h <= 0) {
      throw new MmflowException(
          ErrorCode.CORRUPT_INPUT, what + ": the header gives a size of " + w + "x" + h);
    }
    if (w * h > maxPixels) {
      throw new MmflowException(
          ErrorCode.PIXEL_LIMIT_EXCEEDED,
          "%s is %dx%d pixels, over the limit of %d (%s)"
              .formatted(what, w, h, maxPixels, limitName));
    }
  }
}
