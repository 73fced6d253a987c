package io.mmflow.core.model;

import static io.mmflow.core.util.Checks.checkArgument;
import static io.mmflow.core.util.Checks.requireNonBlank;
import static java.util.Objects.requireNonNull;

import io.mmflow.core.serde.JsonTypeInfoFactory;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One piece of media entering a job: a file, an S3 object, or one part of a feed event.
 *
 * <p>Either {@code content} holds the bytes, or {@code contentRef} points to them (an {@code s3://}
 * URI fetched later). {@code mediaType} is detected from the bytes, never from a file name.
 *
 * @param itemId stable id of the item, the same on every run over the same source object
 * @param partId id of the part inside the item; {@code "0"} for a whole document
 * @param correlationId groups items that are fused together (conversation, session); defaults to
 *     the item id
 * @param eventTime when the item happened (event time for windows); for files, the modification
 *     time
 * @param sourceUri where the bytes came from ({@code file:}, {@code s3://}, {@code kafka://})
 * @param mediaType IANA media type detected from the bytes, e.g. {@code application/pdf}
 * @param sizeBytes size of the object in bytes, also when the bytes were not read
 * @param contentSha256 hex SHA-256 of the bytes; null only when they were not read
 * @param content the bytes, or null when {@code contentRef} is set or the object was too large
 * @param contentRef URI to fetch the bytes from, or null
 * @param attributes source metadata (file name, S3 ETag, Kafka offset)
 */
@TypeInfo(JsonTypeInfoFactory.class)
public record MediaItem(
    String itemId,
    String partId,
    String correlationId,
    Instant eventTime,
    String sourceUri,
    String mediaType,
    long sizeBytes,
    String contentSha256,
    byte[] content,
    String contentRef,
    Map<String, String> attributes) {

  /**
   * Attribute a source sets, instead of the bytes, on an item it could not read, with the reason;
   * validation turns such an item into a dead letter MMF-2001 (SOURCE_READ_FAILED).
   */
  public static final String READ_ERROR_ATTRIBUTE = "source.read-error";

  /**
   * Attribute marking content that arrived as a JSON string (a feed part's {@code text}): it is
   * text by construction, so validation takes it as {@code text/plain} without sniffing the bytes.
   */
  public static final String INLINE_TEXT_ATTRIBUTE = "feed.inline-text";

  public MediaItem {
    requireNonBlank(itemId, "itemId");
    partId = partId == null || partId.isBlank() ? "0" : partId;
    correlationId = correlationId == null || correlationId.isBlank() ? itemId : correlationId;
    requireNonNull(eventTime, "eventTime is null");
    requireNonBlank(sourceUri, "sourceUri");
    mediaType = mediaType == null || mediaType.isBlank() ? "application/octet-stream" : mediaType;
    checkArgument(sizeBytes >= 0, "sizeBytes must be >= 0, but was: %s", sizeBytes);
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  /**
   * The part id of a piece of this part (a page, an embedded image): {@code local} itself for a
   * whole document (part {@code "0"}), else {@code <partId>/<local>}, so that the pages of two
   * parts of one feed event keep distinct result keys.
   */
  public String subPartId(String local) {
    return "0".equals(partId) ? local : partId + "/" + local;
  }

  /** Whether the bytes are in the record (rather than behind {@link #contentRef()}). */
  public boolean hasContent() {
    return content != null;
  }

  /** This item with one more attribute; itself when {@code key} is null. */
  public MediaItem withAttribute(String key, String value) {
    if (key == null) {
      return this;
    }
    Map<String, String> more = new java.util.LinkedHashMap<>(attributes);
    more.put(key, value);
    return new MediaItem(
        itemId,
        partId,
        correlationId,
        eventTime,
        sourceUri,
        mediaType,
        sizeBytes,
        contentSha256,
        content,
        contentRef,
        more);
  }

  /** The same item with another detected media type. */
  public MediaItem withMediaType(String detected) {
    return new MediaItem(
        itemId,
        partId,
        correlationId,
        eventTime,
        sourceUri,
        detected,
        sizeBytes,
        contentSha256,
        content,
        contentRef,
        attributes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MediaItem m
        && sizeBytes == m.sizeBytes
        && itemId.equals(m.itemId)
        && partId.equals(m.partId)
        && correlationId.equals(m.correlationId)
        && eventTime.equals(m.eventTime)
        && sourceUri.equals(m.sourceUri)
        && mediaType.equals(m.mediaType)
        && Objects.equals(contentSha256, m.contentSha256)
        && Arrays.equals(content, m.content)
        && Objects.equals(contentRef, m.contentRef)
        && attributes.equals(m.attributes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(itemId, partId, sourceUri, contentSha256, sizeBytes);
  }

  @Override
  public String toString() {
    return "MediaItem[itemId=%s, partId=%s, sourceUri=%s, mediaType=%s, sizeBytes=%d]"
        .formatted(itemId, partId, sourceUri, mediaType, sizeBytes);
  }
}
