package io.mmflow.connectors.kafka;

import static io.mmflow.connectors.kafka.FeedEvents.optionalText;

import com.fasterxml.jackson.databind.JsonNode;
import io.mmflow.connectors.kafka.FeedEvents.Event;
import io.mmflow.connectors.kafka.FeedEvents.Reject;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.Modality;
import io.mmflow.core.util.Hashing;
import java.time.Instant;
import java.util.Base64;

/** One part of a feed event: inline text, inline base64 data, or an {@code s3://} reference. */
final class FeedParts {
  private FeedParts() {}

  static MediaItem item(
      JsonNode part, Event event, Instant eventTime, FeedRecord record, long maxInlineBytes) {
    String text = optionalText(part, "text");
    String data = optionalText(part, "data_base64");
    String uri = optionalText(part, "uri");
    int given = (text != null ? 1 : 0) + (data != null ? 1 : 0) + (uri != null ? 1 : 0);
    if (given != 1) {
      throw new Reject(
          ErrorCode.MALFORMED_EVENT,
          "part " + event.partId + " must have exactly one of text, data_base64, uri");
    }
    Modality modality = FeedEvents.modality(part);
    String mediaType = optionalText(part, "media_type");
    if (uri != null) {
      FeedEvents.s3Uri(uri);
      return item(event, eventTime, record, mediaType, sizeBytes(part), null, uri, modality);
    }
    byte[] content;
    if (text != null) {
      content = inline(FeedEvents.utf8(text), event, maxInlineBytes);
      mediaType = mediaType == null ? "text/plain" : mediaType;
      modality = modality == null ? Modality.TEXT : modality;
    } else {
      content = inline(decode(data, event, maxInlineBytes), event, maxInlineBytes);
    }
    return item(event, eventTime, record, mediaType, content.length, content, null, modality)
        .withAttribute(text != null ? MediaItem.INLINE_TEXT_ATTRIBUTE : null, "true");
  }

  private static MediaItem item(
      Event event,
      Instant eventTime,
      FeedRecord record,
      String mediaType,
      long sizeBytes,
      byte[] content,
      String contentRef,
      Modality modality) {
    return new MediaItem(
        event.itemId,
        event.partId,
        event.correlationId,
        eventTime,
        record.sourceUri(),
        mediaType,
        sizeBytes,
        content == null ? null : Hashing.sha256Hex(content),
        content,
        contentRef,
        FeedEvents.attributes(record, modality));
  }

  private static byte[] inline(byte[] content, Event event, long maxInlineBytes) {
    if (content.length == 0) {
      throw new Reject(ErrorCode.EMPTY_INPUT, "part " + event.partId + " is empty");
    }
    checkSize(content.length, event, maxInlineBytes);
    return content;
  }

  private static byte[] decode(String base64, Event event, long maxInlineBytes) {
    // checked before decoding, so that a huge part is never held twice
    long padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
    checkSize(base64.length() / 4L * 3 - padding, event, maxInlineBytes);
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new Reject(
          ErrorCode.MALFORMED_EVENT,
          "part " + event.partId + " data_base64 is not base64: " + e.getMessage());
    }
  }

  private static void checkSize(long size, Event event, long maxInlineBytes) {
    if (size > maxInlineBytes) {
      throw new Reject(
          ErrorCode.INPUT_TOO_LARGE,
          "part "
              + event.partId
              + " has "
              + size
              + " inline bytes, more than mmflow.kafka.max-inline-bytes="
              + maxInlineBytes);
    }
  }

  private static long sizeBytes(JsonNode part) {
    JsonNode size = part.get("size_bytes");
    if (size == null || size.isNull()) {
      return 0;
    }
    if (!size.canConvertToExactIntegral() || size.asLong() < 0) {
      throw new Reject(ErrorCode.MALFORMED_EVENT, "size_bytes must be a non-negative integer");
    }
    return size.asLong();
  }
}
