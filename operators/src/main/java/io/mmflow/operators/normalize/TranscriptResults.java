package io.mmflow.operators.normalize;

import io.mmflow.core.model.AttributeKeys;
import io.mmflow.core.model.Entity;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.ResultError;
import io.mmflow.core.model.ResultStatus;
import io.mmflow.core.model.Task;
import io.mmflow.core.model.TimeSpan;
import io.mmflow.model.audio.SpeechModel;
import io.mmflow.model.onnx.ModelSpec;
import io.mmflow.operators.preprocess.audio.PreparedAudio;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A speech model's transcripts of one audio item's pieces of speech as one result (modality audio,
 * task transcription): the pieces' transcripts joined by spaces, each word and each piece as an
 * entity with its character span and time span (words first, then segments), the confidence
 * (frame-weighted over the pieces, {@value #CALIBRATION}), the model's provenance and attributes
 * {@code duration_seconds}, {@code speech_seconds}, {@code segments} (voice-activity segments),
 * {@code words}, {@code source_sample_rate}, {@code source_channels}, {@code model_sample_rate},
 * {@code media_type} and {@code size_bytes}. An item without speech is an OK result with empty
 * text.
 */
public final class TranscriptResults {
  /** How the result's confidence is computed. */
  public static final String CALIBRATION =
      "ctc greedy: mean max softmax over emitting frames, frame-weighted over segments";

  private final ModelSpec spec;

  public TranscriptResults(ModelSpec spec) {
    this.spec = spec;
  }

  /**
   * One piece of an item's speech and what the model heard in it.
   *
   * @param offsetSeconds where the piece starts in the item's audio
   * @param seconds the piece's length
   * @param transcript the model's answer
   */
  public record Piece(double offsetSeconds, double seconds, SpeechModel.Transcription transcript) {}

  /**
   * The result of {@code item}, whose prepared audio is {@code audio}, from its pieces in order.
   */
  public ModalityResult answer(
      MediaItem item, PreparedAudio audio, List<Piece> pieces, Instant started, Instant finished) {
    StringBuilder text = new StringBuilder();
    List<Entity> words = new ArrayList<>();
    List<Entity> segments = new ArrayList<>();
    double weighted = 0;
    long frames = 0;
    double speech = 0;
    for (Piece piece : pieces) {
      SpeechModel.Transcription t = piece.transcript();
      double end = piece.offsetSeconds() + piece.seconds();
      speech += piece.seconds();
      if (t.text().isEmpty()) {
        continue;
      }
      if (text.length() > 0) {
        text.append(' ');
      }
      int segmentStart = text.length();
      for (SpeechModel.Word w : t.words()) {
        if (text.length() > segmentStart) {
          text.append(' ');
        }
        int charStart = text.length();
        text.append(w.text());
        TimeSpan span =
            span(piece.offsetSeconds() + w.startSeconds(), piece.offsetSeconds() + w.endSeconds());
        words.add(
            new Entity(w.text(), "word", charStart, text.length(), null, span, w.confidence()));
      }
      segments.add(
          new Entity(
              t.text(),
              "segment",
              segmentStart,
              text.length(),
              null,
              span(piece.offsetSeconds(), end),
              t.confidence()));
      weighted += t.confidence() * t.frames();
      frames += t.frames();
    }
    List<Entity> entities = new ArrayList<>(words);
    entities.addAll(segments);
    return base(item, started, finished)
        .status(ResultStatus.OK)
        .text(text.toString())
        .entities(entities)
        .confidence(frames == 0 ? null : weighted / frames, CALIBRATION)
        .attribute("duration_seconds", seconds(audio.durationSeconds()))
        .attribute("speech_seconds", seconds(speech))
        .attribute("segments", Integer.toString(audio.segments().size()))
        .attribute("words", Integer.toString(words.size()))
        .attribute("source_sample_rate", Integer.toString(audio.sourceSampleRate()))
        .attribute("source_channels", Integer.toString(audio.sourceChannels()))
        .attribute("model_sample_rate", Integer.toString(audio.sampleRate()))
        .build();
  }

  /** The error result of an item that could not be prepared, or that the model failed on. */
  public ModalityResult failed(
      MediaItem item, ResultError error, Instant started, Instant finished) {
    return base(item, started, finished).error(error).build();
  }

  private ModalityResult.Builder base(MediaItem item, Instant started, Instant finished) {
    return Results.of(item, Modality.AUDIO, Task.TRANSCRIPTION, spec.info(), started, finished)
        .status(ResultStatus.OK)
        .attribute(AttributeKeys.MEDIA_TYPE, item.mediaType())
        .attribute(AttributeKeys.SIZE_BYTES, Long.toString(item.sizeBytes()));
  }

  private static TimeSpan span(double startSeconds, double endSeconds) {
    long start = Math.max(0, Math.round(startSeconds * 1000));
    return new TimeSpan(start, Math.max(start, Math.round(endSeconds * 1000)));
  }

  private static String seconds(double s) {
    return String.format(Locale.ROOT, "%.3f", s);
  }
}
