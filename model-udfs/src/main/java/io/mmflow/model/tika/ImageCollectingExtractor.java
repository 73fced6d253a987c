package io.mmflow.model.tika;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import org.apache.tika.extractor.EmbeddedDocumentExtractor;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

/**
 * Tika's hook for documents embedded in a document: images are kept (up to a count and a size) for
 * OCR; everything else (attachments, OLE objects) is parsed for text as Tika would.
 */
final class ImageCollectingExtractor implements EmbeddedDocumentExtractor {
  private final EmbeddedDocumentExtractor delegate;
  private final List<EmbeddedImage> images;
  private final int maxImages;
  private final int maxBytes;
  private final MediaTypeDetector detector;
  private int seen;

  ImageCollectingExtractor(
      EmbeddedDocumentExtractor delegate,
      List<EmbeddedImage> images,
      int maxImages,
      int maxBytes,
      MediaTypeDetector detector) {
    this.delegate = delegate;
    this.images = images;
    this.maxImages = maxImages;
    this.maxBytes = maxBytes;
    this.detector = detector;
  }

  /** Images seen beyond the count limit, or over the size limit. */
  int skipped() {
    return seen - images.size();
  }

  @Override
  public boolean shouldParseEmbedded(Metadata metadata) {
    return true;
  }

  @Override
  public void parseEmbedded(
      InputStream stream, ContentHandler handler, Metadata metadata, boolean outputHtml)
      throws SAXException, IOException {
    InputStream in = TikaInputStream.get(stream); // supports mark/reset
    String declared = metadata.get(Metadata.CONTENT_TYPE);
    boolean image = declared != null && declared.toLowerCase(Locale.ROOT).startsWith("image/");
    if (!image && declared == null) {
      in.mark(64 * 1024);
      byte[] head = in.readNBytes(64 * 1024);
      in.reset();
      image = detector.detect(head).startsWith("image/");
    }
    if (!image) {
      if (delegate.shouldParseEmbedded(metadata)) {
        delegate.parseEmbedded(in, handler, metadata, outputHtml);
      }
      return;
    }
    seen++;
    if (images.size() >= maxImages) {
      return;
    }
    byte[] bytes = in.readNBytes(maxBytes + 1);
    if (bytes.length > maxBytes || bytes.length == 0) {
      return;
    }
    String name = metadata.get(TikaCoreProperties.RESOURCE_NAME_KEY);
    String type =
        declared != null
            ? MediaType.parse(declared).getBaseType().toString()
            : detector.detect(bytes);
    images.add(new EmbeddedImage(name == null ? "embedded-" + seen : name, type, bytes));
  }
}
