package io.mmflow.connectors.kafka;

import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.MediaItem;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Parses feed records: one {@link MediaItem} per part of a valid event, and one {@link DeadLetter}
 * (with the original bytes) on {@link #DEAD_LETTERS} for a malformed or oversize one.
 */
public final class ParseFeedEvents extends ProcessFunction<FeedRecord, MediaItem> {
  private static final long serialVersionUID = 1L;

  /**
   * The dead-letter side output. Output tags are equal by name, so this is the same output as
   * {@code io.mmflow.operators.DeadLetters.TAG}, which connectors cannot depend on.
   */
  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

  private final long maxInlineBytes;

  /**
   * @param maxInlineBytes largest decoded inline part, from {@code mmflow.kafka.max-inline-bytes}
   */
  public ParseFeedEvents(long maxInlineBytes) {
    this.maxInlineBytes = maxInlineBytes;
  }

  @Override
  public void processElement(FeedRecord record, Context ctx, Collector<MediaItem> out) {
    FeedEvents.Result result = FeedEvents.parse(record, maxInlineBytes);
    if (result.ok()) {
      result.items().forEach(out::collect);
    } else {
      ctx.output(DEAD_LETTERS, result.deadLetter());
    }
  }
}
