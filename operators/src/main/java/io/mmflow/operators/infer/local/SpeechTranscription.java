package io.mmflow.operators.infer.local;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.ResultError;
import io.mmflow.model.audio.SpeechModel;
import io.mmflow.model.onnx.ModelRegistry;
import io.mmflow.model.onnx.ModelSpec;
import io.mmflow.operators.normalize.TranscriptResults;
import io.mmflow.operators.preprocess.audio.AudioPreprocessing;
import io.mmflow.operators.preprocess.audio.PreparedAudio;
import io.mmflow.operators.preprocess.audio.VoiceActivity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;

/**
 * Speech to text with a registry transcription model, a micro-batch of audio items at a time: bytes
 * → {@link AudioPreprocessing} (decode, downmix, resample to the model's rate, voice-activity
 * segments) → {@link SpeechModel} over all speech segments of the batch (longest first, in model
 * batches of the registry's {@code batch.max-size}) → one result per item: the segments'
 * transcripts joined by spaces, each word and each segment as an entity with its character span and
 * time span (words first, then segments), the confidence (frame-weighted over segments), the
 * model's provenance and attributes {@code duration_seconds}, {@code speech_seconds}, {@code
 * segments} (voice-activity segments), {@code words}, {@code source_sample_rate}, {@code
 * source_channels}, {@code model_sample_rate} and {@code media_type}: see {@link
 * TranscriptResults}, which makes the result.
 *
 * <p>An item that cannot be decoded gets an error result with the decoder's code ({@code
 * CORRUPT_INPUT}, {@code UNSUPPORTED_MEDIA_TYPE}, {@code EMPTY_INPUT}, {@code INPUT_TOO_LARGE},
 * ...) while the rest of the batch is transcribed. An item without speech is an OK result with
 * empty text. Segments longer than {@value #MAX_SEGMENT_SECONDS} s are cut into equal pieces (a
 * word on a cut may be split).
 */
public final class SpeechTranscription implements BatchFunction<MediaItem, ModalityResult> {
  private static final long serialVersionUID = 1L;

  /** Longest piece of audio given to the model at once, in seconds. */
  public static final double MAX_SEGMENT_SECONDS = 30;

  private final String registry;
  private final String modelId;
  private final AudioPreprocessing settings;

  private transient ModelSpec spec;
  private transient SpeechModel model;
  private transient TranscriptResults results;
  private transient AudioPreprocessing preprocessing;

  /** Transcribes with model {@code modelId} of {@code registry}, default preprocessing. */
  public SpeechTranscription(String registry, String modelId) {
    this(registry, modelId, AudioPreprocessing.defaults());
  }

  /**
   * @param settings duration limit and voice-activity settings; the target rate is always the
   *     model's {@code sample-rate}
   */
  public SpeechTranscription(String registry, String modelId, AudioPreprocessing settings) {
    this.registry = registry;
    this.modelId = modelId;
    this.settings = settings;
  }

  /** Loads the model and fixes the preprocessing to its sample rate. */
  @Override
  public void open(RuntimeContext context) {
    spec = ModelRegistry.load(registry).get(modelId);
    model = new SpeechModel(spec);
    results = new TranscriptResults(spec);
    preprocessing =
        new AudioPreprocessing(model.sampleRate(), settings.maxSeconds(), settings.voiceActivity());
  }

  /** A piece of one item's speech: where it starts and its samples. */
  private record Piece(int item, double offsetSeconds, float[] samples) {}

  /** Decodes every item, transcribes all pieces of speech together, assembles the results. */
  @Override
  public List<ModalityResult> apply(List<MediaItem> batch) {
    Instant started = Instant.now();
    PreparedAudio[] audio = new PreparedAudio[batch.size()];
    MmflowException[] errors = new MmflowException[batch.size()];
    List<Piece> pieces = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      try {
        if (!batch.get(i).hasContent()) {
          throw new MmflowException(
              ErrorCode.EMPTY_INPUT, "the item's bytes are not in the record; fetch them first");
        }
        audio[i] = preprocessing.prepare(batch.get(i).content());
        pieces.addAll(pieces(i, audio[i]));
      } catch (MmflowException e) {
        errors[i] = e;
      } catch (RuntimeException e) {
        errors[i] = new MmflowException(ErrorCode.CORRUPT_INPUT, "cannot decode: " + e, e);
      }
    }
    List<SpeechModel.Transcription> transcripts = transcribe(pieces);
    Instant finished = Instant.now();
    List<ModalityResult> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      if (errors[i] != null) {
        out.add(error(batch.get(i), errors[i], started, finished));
        continue;
      }
      List<TranscriptResults.Piece> own = new ArrayList<>();
      for (int p = 0; p < pieces.size(); p++) {
        Piece piece = pieces.get(p);
        if (piece.item() == i) {
          double seconds = (double) piece.samples().length / audio[i].sampleRate();
          own.add(new TranscriptResults.Piece(piece.offsetSeconds(), seconds, transcripts.get(p)));
        }
      }
      out.add(results.answer(batch.get(i), audio[i], own, started, finished));
    }
    return out;
  }

  /** The voice-activity segments of one item, cut to at most {@value #MAX_SEGMENT_SECONDS} s. */
  private static List<Piece> pieces(int item, PreparedAudio audio) {
    List<Piece> out = new ArrayList<>();
    int rate = audio.sampleRate();
    for (VoiceActivity.Segment s : audio.segments()) {
      float[] samples = audio.slice(s);
      int from = (int) Math.min(audio.samples().length, Math.round(s.startSeconds() * rate));
      int parts = (int) Math.ceil(s.durationSeconds() / MAX_SEGMENT_SECONDS);
      int step = Math.max(1, (samples.length + parts - 1) / Math.max(1, parts));
      for (int a = 0; a < samples.length; a += step) {
        float[] part = Arrays.copyOfRange(samples, a, Math.min(samples.length, a + step));
        out.add(new Piece(item, (double) (from + a) / rate, part));
      }
    }
    return out;
  }

  /** Runs the model over all pieces, longest first so that a model batch pads little. */
  private List<SpeechModel.Transcription> transcribe(List<Piece> pieces) {
    Integer[] order = new Integer[pieces.size()];
    for (int p = 0; p < order.length; p++) {
      order[p] = p;
    }
    Arrays.sort(
        order, Comparator.comparingInt((Integer p) -> pieces.get(p).samples().length).reversed());
    SpeechModel.Transcription[] out = new SpeechModel.Transcription[pieces.size()];
    int size = spec.maxBatch();
    for (int from = 0; from < order.length; from += size) {
      List<float[]> waves = new ArrayList<>();
      for (int k = from; k < Math.min(order.length, from + size); k++) {
        waves.add(pieces.get(order[k]).samples());
      }
      List<SpeechModel.Transcription> done = model.applyBatch(waves);
      for (int k = 0; k < done.size(); k++) {
        out[order[from + k]] = done.get(k);
      }
    }
    return List.of(out);
  }

  /** The error result of an item that could not be prepared. */
  private ModalityResult error(
      MediaItem item, MmflowException e, Instant started, Instant finished) {
    return results.failed(item, ResultError.from(e, ErrorCode.MODEL_FAILURE), started, finished);
  }

  /** The error result of an item the model failed on even alone. */
  @Override
  public ModalityResult failed(MediaItem input, Exception error) {
    Instant now = Instant.now();
    return results.failed(input, ResultError.from(error, ErrorCode.MODEL_FAILURE), now, now);
  }

  @Override
  public void close() {
    if (model != null) {
      model.close();
    }
  }
}
