package io.mmflow.model.tika;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.tika.config.TikaConfig;
import org.apache.tika.detect.Detector;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;

/**
 * Detects a media type from the bytes alone with Apache Tika's default detector (magic numbers, and
 * container inspection for OOXML, ODF and other zip-based formats). File names are never consulted:
 * a renamed file is still detected for what it is.
 */
public final class MediaTypeDetector {
  private final Detector detector = TikaConfig.getDefaultConfig().getDetector();

  /** The base type (no parameters), e.g. {@code application/pdf}. */
  public String detect(byte[] content) {
    try (TikaInputStream in = TikaInputStream.get(content)) {
      MediaType type = detector.detect(in, new Metadata());
      return type.getBaseType().toString();
    } catch (IOException e) {
      throw new UncheckedIOException("media type detection failed", e);
    }
  }
}
