package io.mmflow.operators.validate;

import static java.util.Objects.requireNonNull;

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
    ValidationRules.Verdict verdict = rules.check(item, detector);
    if (verdict.accepted()) {
      out.collect(verdict.item()); // one holding a reference is fetched and checked later
    } else {
      deadLetters.increment(verdict.code());
      ctx.output(
          DeadLetters.TAG, DeadLetter.of(verdict.item(), STAGE, verdict.code(), verdict.message()));
    }
  }
}
