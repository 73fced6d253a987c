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

  /** What a text part became: its extraction result, or the code and message of its dead letter. */
  public record Outcome(ModalityResult result, ErrorCode code, String message) {
    public boolean ok() {
      return result != null;
    }
  }

  /** A strict UTF-8 decoder (malformed input is an error, not a replacement character). */
  public static CharsetDecoder utf8() {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  /** Reads one text part with {@code utf8} (from {@link #utf8()}, one per thread). */
  public static Outcome read(MediaItem item, CharsetDecoder utf8) {
    Instant started = Instant.now();
    String text;
    try {
      text = utf8.decode(ByteBuffer.wrap(item.content())).toString();
    } catch (CharacterCodingException e) {
      return new Outcome(null, ErrorCode.CORRUPT_INPUT, "the text part is not valid UTF-8");
    }
    String normalized = TextNormalizer.normalize(text).text();
    if (normalized.isBlank()) {
      return new Outcome(
          null, ErrorCode.NO_CONTENT_EXTRACTED, "the text part holds only whitespace");
    }
    return new Outcome(
        ExtractionResults.textPart(item, normalized, started, Instant.now()), null, null);
  }

  @Override
  public void open(OpenContext openContext) {
    utf8 = utf8();
    deadLetters = RunCounters.deadLetters(getRuntimeContext());
  }

  @Override
  public void processElement(MediaItem item, Context ctx, Collector<ModalityResult> out) {
    Outcome outcome = read(item, utf8);
    if (outcome.ok()) {
      out.collect(outcome.result());
    } else {
      deadLetters.increment(outcome.code());
      ctx.output(DeadLetters.TAG, DeadLetter.of(item, STAGE, outcome.code(), outcome.message()));
    }
  }
}
