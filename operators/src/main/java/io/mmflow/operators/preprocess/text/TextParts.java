package io.mmflow.operators.preprocess.text;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.Task;
import io.mmflow.core.model.Timing;
import io.mmflow.model.ModelInfo;
import io.mmflow.operators.DeadLetters;
import io.mmflow.operators.metrics.RunCounters;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Plain-text parts of a feed (a post, a chat message): the UTF-8 bytes → one {@code text}
 * extraction result with the NFKC-normalized text, without a document parser. A part that is not
 * valid UTF-8 or holds only whitespace becomes a dead letter ({@code MMF-1004}, {@code MMF-1012}).
 *
 * <p>The result is the input of the text models (sentiment); it is the part's own result only when
 * no text model is configured.
 */
public final class TextParts extends ProcessFunction<MediaItem, ModalityResult> {
  public static final String STAGE = "text-part";

  /** The "model" of a text part's extraction: UTF-8 decoding and normalization by mmflow. */
  static final ModelInfo DECODER = new ModelInfo("mmflow", "utf8-text", "1");

  private transient CharsetDecoder utf8;
  private transient RunCounters deadLetters;

  @Override
  public void open(OpenContext openContext) {
    utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    deadLetters = RunCounters.deadLetters(getRuntimeContext());
  }

  @Override
  public void processElement(MediaItem item, Context ctx, Collector<ModalityResult> out) {
    Instant started = Instant.now();
    String text;
    try {
      text = utf8.decode(ByteBuffer.wrap(item.content())).toString();
    } catch (CharacterCodingException e) {
      reject(ctx, item, ErrorCode.CORRUPT_INPUT, "the text part is not valid UTF-8");
      return;
    }
    String normalized = TextNormalizer.normalize(text).text();
    if (normalized.isBlank()) {
      reject(ctx, item, ErrorCode.NO_CONTENT_EXTRACTED, "the text part holds only whitespace");
      return;
    }
    out.collect(
        ModalityResult.builder()
            .forItem(item)
            .modality(Modality.TEXT)
            .task(Task.EXTRACTION)
            .text(normalized)
            .confidence(1.0, "deterministic UTF-8 text")
            .provenance(DECODER.provenance(item.sourceUri(), item.contentSha256(), false))
            .timing(Timing.of(item.eventTime(), started, Instant.now()))
            .attribute("media_type", item.mediaType())
            .attribute("size_bytes", Long.toString(item.sizeBytes()))
            .sourceAttributes(item)
            .build());
  }

  private void reject(Context ctx, MediaItem item, ErrorCode code, String message) {
    deadLetters.increment(code);
    ctx.output(DeadLetters.TAG, DeadLetter.of(item, STAGE, code, message));
  }
}
