package io.mmflow.connectors.kafka;

import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.DeadLetters;
import io.mmflow.core.model.MediaItem;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Parses feed records: one {@link MediaItem} per part of a valid event, and one {@link DeadLetter}
 * (with the original bytes) on {@link DeadLetters#TAG} for a malformed or oversize one.
 */
public final class ParseFeedEvents extends ProcessFunction<FeedRecord, MediaItem> {
  private static final long serialVersionUID = 1L;

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
      ctx.output(DeadLetters.TAG, result.deadLetter());
    }
  }
}
