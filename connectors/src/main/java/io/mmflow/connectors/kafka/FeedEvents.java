package io.mmflow.connectors.kafka;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.Modality;
import io.mmflow.core.serde.Json;
import io.mmflow.core.util.Hashing;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses one feed event (the JSON of docs/feeds.md) into one {@link MediaItem} per part, or into
 * one {@link DeadLetter} that keeps the record's original bytes. An event is taken whole or not at
 * all: one bad part rejects the event.
 */
public final class FeedEvents {
  /** The stage name of dead letters from parsing. */
  public static final String STAGE = "parse-event";

  /** At most this many bytes of a rejected record are kept in its dead letter. */
  public static final int MAX_PAYLOAD_BYTES = 1 << 20;

  /** Attribute holding the modality an event declared for a part. */
  public static final String MODALITY_ATTRIBUTE = "feed.modality";

  private static final ObjectReader READER =
      Json.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** What parsing one record gave: items, or else a dead letter. */
  public record Result(List<MediaItem> items, DeadLetter deadLetter) {
    /** Whether the event parsed. */
    public boolean ok() {
      return deadLetter == null;
    }
  }

  private FeedEvents() {}

  /**
   * Parses a record's value.
   *
   * @param maxInlineBytes largest decoded inline part; a bigger one rejects the event with {@link
   *     ErrorCode#INPUT_TOO_LARGE}
   */
  public static Result parse(FeedRecord record, long maxInlineBytes) {
    Event event = new Event();
    try {
      return new Result(parse(record, maxInlineBytes, event), null);
    } catch (Reject r) {
      return new Result(List.of(), deadLetter(record, event, r));
    }
  }

  private static List<MediaItem> parse(FeedRecord record, long maxInlineBytes, Event event) {
    byte[] value = record.value();
    if (value == null || value.length == 0) {
      throw new Reject(ErrorCode.EMPTY_INPUT, "the record has no value");
    }
    JsonNode root;
    try {
      root = READER.readTree(value);
    } catch (JacksonException e) {
      throw new Reject(ErrorCode.MALFORMED_EVENT, "not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new Reject(ErrorCode.MALFORMED_EVENT, "not JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new Reject(ErrorCode.MALFORMED_EVENT, "the event must be a JSON object");
    }
    event.itemId = requiredText(root, "item_id");
    event.correlationId = optionalText(root, "correlation_id");
    Instant eventTime = eventTime(root, record);
    JsonNode parts = root.get("parts");
    if (parts == null || !parts.isArray() || parts.isEmpty()) {
      throw new Reject(ErrorCode.MALFORMED_EVENT, "parts must be a non-empty array");
    }
    List<MediaItem> items = new ArrayList<>(parts.size());
    Set<String> partIds = new HashSet<>();
    for (int i = 0; i < parts.size(); i++) {
      JsonNode part = parts.get(i);
      if (!part.isObject()) {
        throw new Reject(ErrorCode.MALFORMED_EVENT, "parts[" + i + "] must be an object");
      }
      event.partId = part.has("part_id") ? requiredText(part, "part_id") : Integer.toString(i);
      if (!partIds.add(event.partId)) {
        throw new Reject(ErrorCode.MALFORMED_EVENT, "duplicate part_id " + event.partId);
      }
      items.add(FeedParts.item(part, event, eventTime, record, maxInlineBytes));
    }
    return items;
  }

  private static Instant eventTime(JsonNode root, FeedRecord record) {
    String text = optionalText(root, "event_time");
    if (text == null) {
      if (record.timestamp() < 0) {
        throw new Reject(ErrorCode.MALFORMED_EVENT, "no event_time and no Kafka timestamp");
      }
      return Instant.ofEpochMilli(record.timestamp());
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeException e) {
      throw new Reject(ErrorCode.MALFORMED_EVENT, "event_time is not an ISO-8601 instant: " + text);
    }
  }

  static String requiredText(JsonNode node, String field) {
    String text = optionalText(node, field);
    if (text == null || text.isBlank()) {
      throw new Reject(ErrorCode.MALFORMED_EVENT, field + " is required");
    }
    return text;
  }

  static String optionalText(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new Reject(ErrorCode.MALFORMED_EVENT, field + " must be a string");
    }
    return value.asText();
  }

  static Map<String, String> attributes(FeedRecord record, Modality modality) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("kafka.topic", record.topic());
    attributes.put("kafka.partition", Integer.toString(record.partition()));
    attributes.put("kafka.offset", Long.toString(record.offset()));
    attributes.put("kafka.timestamp", Long.toString(record.timestamp()));
    if (modality != null) {
      attributes.put(MODALITY_ATTRIBUTE, modality.wireName());
    }
    return attributes;
  }

  static Modality modality(JsonNode part) {
    String name = optionalText(part, "modality");
    try {
      return name == null ? null : Modality.fromWireName(name);
    } catch (IllegalArgumentException e) {
      throw new Reject(ErrorCode.MALFORMED_EVENT, "unknown modality " + name);
    }
  }

  static URI s3Uri(String text) {
    try {
      URI uri = URI.create(text);
      if ("s3".equals(uri.getScheme())
          && uri.getHost() != null
          && uri.getPath() != null
          && uri.getPath().length() > 1) {
        return uri;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new Reject(ErrorCode.MALFORMED_EVENT, "uri must be s3://bucket/key, was: " + text);
  }

  private static DeadLetter deadLetter(FeedRecord record, Event event, Reject reject) {
    byte[] value = record.value() == null ? new byte[0] : record.value();
    String sha = Hashing.sha256Hex(value);
    return new DeadLetter(
        event.itemId != null ? event.itemId : sha.substring(0, 32),
        event.partId,
        event.correlationId,
        record.sourceUri(),
        STAGE,
        reject.code,
        reject.getMessage(),
        reject.code.retryable(),
        "application/json",
        value.length,
        sha,
        Instant.now(),
        Arrays.copyOf(value, Math.min(value.length, MAX_PAYLOAD_BYTES)));
  }

  /** What is known of the event so far, for its dead letter. */
  static final class Event {
    String itemId;
    String correlationId;
    String partId;
  }

  /** Rejects the event with a code; cheap, without a stack trace. */
  static final class Reject extends RuntimeException {
    final ErrorCode code;

    Reject(ErrorCode code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
