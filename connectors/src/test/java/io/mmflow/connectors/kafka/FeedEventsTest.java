package io.mmflow.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.MediaItem;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedEventsTest {
  private static final long MAX = 64;

  private static FeedRecord record(String json) {
    return new FeedRecord(
        "feed",
        2,
        7,
        1_700_000_000_000L,
        json == null ? null : json.getBytes(StandardCharsets.UTF_8));
  }

  private static FeedEvents.Result parse(String json) {
    return FeedEvents.parse(record(json), MAX);
  }

  private static DeadLetter rejected(String json, ErrorCode code) {
    FeedEvents.Result result = parse(json);
    assertThat(result.ok()).as("rejected: %s", json).isFalse();
    assertThat(result.items()).isEmpty();
    DeadLetter dl = result.deadLetter();
    assertThat(dl.code()).isEqualTo(code);
    assertThat(dl.stage()).isEqualTo("parse-event");
    assertThat(dl.sourceUri()).isEqualTo("kafka://feed/2/7");
    assertThat(dl.payload())
        .isEqualTo(json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8));
    return dl;
  }

  @Test
  void parsesEveryKindOfPart() {
    String png = Base64.getEncoder().encodeToString(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    FeedEvents.Result result =
        parse(
            """
            {"item_id": "i1", "correlation_id": "c1", "event_time": "2026-11-24T10:00:00Z",
             "unknown": "ignored",
             "parts": [
               {"part_id": "0", "modality": "text", "media_type": "text/plain", "text": "héllo"},
               {"part_id": "1", "media_type": "image/png", "data_base64": "%s"},
               {"part_id": "2", "media_type": "audio/vnd.wave", "uri": "s3://bucket/a/b.wav",
                "size_bytes": 1234}]}
            """
                .formatted(png));
    assertThat(result.ok()).isTrue();
    List<MediaItem> items = result.items();
    assertThat(items).extracting(MediaItem::partId).containsExactly("0", "1", "2");
    assertThat(items)
        .allSatisfy(
            i -> {
              assertThat(i.itemId()).isEqualTo("i1");
              assertThat(i.correlationId()).isEqualTo("c1");
              assertThat(i.eventTime()).isEqualTo(Instant.parse("2026-11-24T10:00:00Z"));
              assertThat(i.sourceUri()).isEqualTo("kafka://feed/2/7");
              assertThat(i.attributes()).containsEntry("kafka.offset", "7");
            });
    assertThat(items.get(0).content()).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
    assertThat(items.get(0).attributes()).containsEntry(FeedEvents.MODALITY_ATTRIBUTE, "text");
    assertThat(items.get(1).mediaType()).isEqualTo("image/png");
    assertThat(items.get(1).content()).containsExactly(0x89, 'P', 'N', 'G');
    assertThat(items.get(1).contentSha256()).hasSize(64);
    assertThat(items.get(2).hasContent()).isFalse();
    assertThat(items.get(2).contentRef()).isEqualTo("s3://bucket/a/b.wav");
    assertThat(items.get(2).sizeBytes()).isEqualTo(1234);
  }

  @Test
  void defaultsPartIdsCorrelationAndEventTime() {
    FeedEvents.Result result = parse("{\"item_id\": \"i2\", \"parts\": [{\"text\": \"a\"}]}");
    MediaItem item = result.items().get(0);
    assertThat(item.partId()).isEqualTo("0");
    assertThat(item.correlationId()).isEqualTo("i2");
    assertThat(item.eventTime()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
    assertThat(item.mediaType()).isEqualTo("text/plain");
  }

  @Test
  void rejectsMalformedEventsKeepingTheirBytes() {
    DeadLetter notJson = rejected("{\"item_id\": ", ErrorCode.MALFORMED_EVENT);
    assertThat(notJson.itemId()).hasSize(32); // hash of the bytes
    rejected("[1, 2]", ErrorCode.MALFORMED_EVENT);
    rejected("{\"item_id\": \"x\", \"parts\": []} trailing", ErrorCode.MALFORMED_EVENT);
    rejected("{\"parts\": [{\"text\": \"a\"}]}", ErrorCode.MALFORMED_EVENT);
    rejected("{\"item_id\": \"x\", \"parts\": []}", ErrorCode.MALFORMED_EVENT);
    rejected("{\"item_id\": 5, \"parts\": [{\"text\": \"a\"}]}", ErrorCode.MALFORMED_EVENT);
    rejected(
        "{\"item_id\": \"x\", \"event_time\": \"yesterday\", \"parts\": [{\"text\": \"a\"}]}",
        ErrorCode.MALFORMED_EVENT);
    rejected(
        "{\"item_id\": \"x\", \"parts\": [{\"text\": \"a\", \"uri\": \"s3://b/k\"}]}",
        ErrorCode.MALFORMED_EVENT);
    rejected(
        "{\"item_id\": \"x\", \"parts\": [{\"uri\": \"file:///etc/passwd\"}]}",
        ErrorCode.MALFORMED_EVENT);
    rejected(
        "{\"item_id\": \"x\", \"parts\": [{\"data_base64\": \"!!!!\"}]}",
        ErrorCode.MALFORMED_EVENT);
    rejected(
        "{\"item_id\": \"x\", \"parts\": [{\"modality\": \"smell\", \"text\": \"a\"}]}",
        ErrorCode.MALFORMED_EVENT);
    DeadLetter dup =
        rejected(
            "{\"item_id\": \"x\", \"correlation_id\": \"c\", \"parts\": [{\"part_id\": \"a\", \"text\": \"1\"},"
                + " {\"part_id\": \"a\", \"text\": \"2\"}]}",
            ErrorCode.MALFORMED_EVENT);
    assertThat(dup.itemId()).isEqualTo("x");
    assertThat(dup.partId()).isEqualTo("a");
    assertThat(dup.correlationId()).isEqualTo("c");
  }

  @Test
  void rejectsEmptyAndOversizeParts() {
    rejected(null, ErrorCode.EMPTY_INPUT);
    rejected("", ErrorCode.EMPTY_INPUT);
    rejected("{\"item_id\": \"x\", \"parts\": [{\"text\": \"\"}]}", ErrorCode.EMPTY_INPUT);
    String big = Base64.getEncoder().encodeToString(new byte[(int) MAX + 1]);
    DeadLetter dl =
        rejected(
            "{\"item_id\": \"x\", \"parts\": [{\"text\": \"ok\"}, {\"part_id\": \"9\", \"data_base64\": \""
                + big
                + "\"}]}",
            ErrorCode.INPUT_TOO_LARGE);
    assertThat(dl.partId()).isEqualTo("9");
    assertThat(dl.message()).contains("65 inline bytes");
    rejected(
        "{\"item_id\": \"x\", \"parts\": [{\"text\": \"" + "a".repeat(65) + "\"}]}",
        ErrorCode.INPUT_TOO_LARGE);
    assertThat(
            parse("{\"item_id\": \"x\", \"parts\": [{\"text\": \"" + "a".repeat(64) + "\"}]}").ok())
        .isTrue();
  }
}
