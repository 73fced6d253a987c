package io.mmflow.model.tika;

import static java.util.Objects.requireNonNull;

/**
 * An image found inside a parsed document (a picture in a DOCX, an image attachment of an e-mail).
 *
 * @param name its name inside the document, e.g. {@code image1.png}, or {@code embedded-<n>}
 * @param mediaType its media type as the container declares it, or detected from the bytes
 * @param bytes its bytes
 */
public record EmbeddedImage(String name, String mediaType, byte[] bytes) {
  public EmbeddedImage {
    requireNonNull(name, "name is null");
    requireNonNull(bytes, "bytes is null");
  }
}
