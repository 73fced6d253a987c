package io.mmflow.core.model;

import static io.mmflow.core.util.Checks.requireNonBlank;
import static java.util.Objects.requireNonNull;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.error.SecretScrubber;
import io.mmflow.core.serde.JsonTypeInfoFactory;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * An input that could not become a result, with the reason. Every input ends either as results or
 * as exactly one dead letter per failing stage; nothing is dropped silently.
 *
 * <p>Key: ({@code itemId}, {@code partId}, {@code stage}); replays overwrite instead of adding.
 *
 * @param itemId the input item (for unparseable events, a hash of the raw bytes)
 * @param partId the part
 * @param correlationId its correlation id, when known
 * @param sourceUri where it came from
 * @param stage the stage that rejected it: source, validate, extract, ocr, infer, parse-event
 * @param code the stable error code
 * @param message what went wrong, scrubbed of secrets
 * @param retryable whether a retry may succeed
 * @param mediaType the detected media type, when known
 * @param sizeBytes size of the input
 * @param contentSha256 hash of the input bytes, when read
 * @param occurredAt when it was rejected
 * @param payload the original bytes of a malformed event (size-limited), else null
 */
@TypeInfo(JsonTypeInfoFactory.class)
public record DeadLetter(
    String itemId,
    String partId,
    String correlationId,
    String sourceUri,
    String stage,
    ErrorCode code,
    String message,
    boolean retryable,
    String mediaType,
    long sizeBytes,
    String contentSha256,
    Instant occurredAt,
    byte[] payload) {
  public DeadLetter {
    requireNonBlank(itemId, "itemId");
    partId = partId == null ? "0" : partId;
    requireNonBlank(stage, "stage");
    requireNonNull(code, "code is null");
    message = SecretScrubber.scrub(message == null ? code.meaning() : message);
    requireNonNull(occurredAt, "occurredAt is null");
  }

  /** A dead letter for {@code item}, rejected at {@code stage}. */
  public static DeadLetter of(MediaItem item, String stage, ErrorCode code, String message) {
    return new DeadLetter(
        item.itemId(),
        item.partId(),
        item.correlationId(),
        item.sourceUri(),
        stage,
        code,
        message,
        code.retryable(),
        item.mediaType(),
        item.sizeBytes(),
        item.contentSha256(),
        Instant.now(),
        null);
  }

  /** A dead letter for {@code item} from a coded exception. */
  public static DeadLetter of(MediaItem item, String stage, MmflowException e) {
    return of(item, stage, e.code(), e.getMessage());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeadLetter d
        && itemId.equals(d.itemId)
        && partId.equals(d.partId)
        && Objects.equals(correlationId, d.correlationId)
        && Objects.equals(sourceUri, d.sourceUri)
        && stage.equals(d.stage)
        && code == d.code
        && message.equals(d.message)
        && retryable == d.retryable
        && Objects.equals(mediaType, d.mediaType)
        && sizeBytes == d.sizeBytes
        && Objects.equals(contentSha256, d.contentSha256)
        && occurredAt.equals(d.occurredAt)
        && Arrays.equals(payload, d.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(itemId, partId, stage, code);
  }

  @Override
  public String toString() {
    return "DeadLetter[itemId=%s, stage=%s, code=%s, message=%s, source=%s]"
        .formatted(itemId, stage, code.code(), message, sourceUri);
  }
}
