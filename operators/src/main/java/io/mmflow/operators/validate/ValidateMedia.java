package io.mmflow.operators.validate;

import static java.util.Objects.requireNonNull;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.DeadLetters;
import io.mmflow.core.model.MediaItem;
import io.mmflow.model.tika.MediaTypeDetector;
import io.mmflow.operators.metrics.RunCounters;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The first stage after a source: rejects empty and oversized inputs, detects the media type from
 * the bytes (never from a name), and rejects types no stage of the job handles. Rejected items go
 * to {@link DeadLetters#TAG} with their code; the rest continue with the detected type.
 */
public final class ValidateMedia extends ProcessFunction<MediaItem, MediaItem> {
  public static final String STAGE = "validate";

  private final ValidationRules rules;
  private transient MediaTypeDetector detector;
  private transient RunCounters itemsRead;
  private transient RunCounters deadLetters;

  private final boolean countsReads;

  public ValidateMedia(ValidationRules rules) {
    this(rules, true);
  }

  /**
   * @param countsReads whether each input counts as an item read; false for a second validation of
   *     items already counted (parts fetched from S3 after their first check)
   */
  public ValidateMedia(ValidationRules rules, boolean countsReads) {
    this.rules = requireNonNull(rules, "rules is null");
    this.countsReads = countsReads;
  }

  @Override
  public void open(OpenContext openContext) {
    detector = new MediaTypeDetector();
    itemsRead = RunCounters.counter(getRuntimeContext(), RunCounters.ITEMS_READ);
    deadLetters = RunCounters.deadLetters(getRuntimeContext());
  }

  @Override
  public void processElement(MediaItem item, Context ctx, Collector<MediaItem> out) {
    if (countsReads) {
      itemsRead.increment();
    }
    String readError = item.attributes().get(MediaItem.READ_ERROR_ATTRIBUTE);
    if (readError != null) {
      reject(ctx, item, ErrorCode.SOURCE_READ_FAILED, "cannot read the input: " + readError);
      return;
    }
    if (item.sizeBytes() > rules.maxBytes() || (!item.hasContent() && item.contentRef() == null)) {
      reject(
          ctx,
          item,
          ErrorCode.INPUT_TOO_LARGE,
          "input is "
              + item.sizeBytes()
              + " bytes, over the limit of "
              + rules.maxBytes()
              + " bytes (mmflow.source.max-bytes)");
      return;
    }
    if (!item.hasContent()) {
      out.collect(item); // a reference, fetched and checked by a later stage
      return;
    }
    if (item.content().length == 0) {
      reject(ctx, item, ErrorCode.EMPTY_INPUT, "input has 0 bytes");
      return;
    }
    // a JSON string is UTF-8 text by construction; sniffing it (Tika's magic patterns) would cost
    // more than all the rest of a text part's processing
    String type =
        item.attributes().containsKey(MediaItem.INLINE_TEXT_ATTRIBUTE)
            ? "text/plain"
            : detector.detect(item.content());
    MediaItem typed = item.withMediaType(type);
    if (!rules.acceptedTypes().contains(type)) {
      reject(
          ctx,
          typed,
          ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "media type "
              + type
              + " (detected from the bytes) is not handled by the "
              + rules.jobName()
              + " job");
      return;
    }
    out.collect(typed);
  }

  private void reject(Context ctx, MediaItem item, ErrorCode code, String message) {
    deadLetters.increment(code);
    ctx.output(DeadLetters.TAG, DeadLetter.of(item, STAGE, code, message));
  }
}
