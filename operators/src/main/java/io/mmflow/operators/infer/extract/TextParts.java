package io.mmflow.operators.infer.extract;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.DeadLetters;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.operators.metrics.RunCounters;
import io.mmflow.operators.normalize.ExtractionResults;
import io.mmflow.operators.preprocess.text.TextNormalizer;
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
 * Plain-text parts of a feed (a post, a chat message): the UTF-8 bytes → NFKC-normalized text → one
 * {@code text} extraction result ({@link ExtractionResults#textPart}), without a document parser. A
 * part that is not valid UTF-8 or holds only whitespace becomes a dead letter ({@code MMF-1004},
 * {@code MMF-1012}).
 *
 * <p>The result is the input of the text models (sentiment); it is the part's own result only when
 * no text model is configured.
 */
public final class TextParts extends ProcessFunction<MediaItem, ModalityResult> {
  public static final String STAGE = "text-part";

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
    out.collect(ExtractionResults.textPart(item, normalized, started, Instant.now()));
  }

  private void reject(Context ctx, MediaItem item, ErrorCode code, String message) {
    deadLetters.increment(code);
    ctx.output(DeadLetters.TAG, DeadLetter.of(item, STAGE, code, message));
  }
}
