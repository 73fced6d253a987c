package io.mmflow.model.audio;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.Task;
import io.mmflow.model.ModelInfo;
import io.mmflow.model.ModelRuntime;
import io.mmflow.model.onnx.ModelSpec;
import io.mmflow.model.onnx.OnnxModel;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A speech-to-text model from the registry on ONNX Runtime, with the interface of a wav2vec2 CTC
 * export: mono waveforms at the model's sample rate → {@code input_values} float [N, samples] (and
 * {@code attention_mask} [N, samples] where the registry maps one) → {@code logits} float [N,
 * frames, vocabulary] → greedy {@link CtcDecoder CTC decoding} with the model's {@code vocab.json}
 * → one {@link Transcription} per waveform, words timed by {@code frame-stride / sample-rate}
 * seconds per frame.
 *
 * <p>A batch is padded with zeros to its longest waveform, rounded up to a multiple of the frame
 * stride so that every sample reaches a whole frame (models that frame by Reshape need it; strided
 * convolutions do not mind). Each waveform then decodes only the frames its own samples cover,
 * {@code ceil(frames * length / paddedLength)}, so its answer does not depend on its batch.
 *
 * <p>No normalization is applied to the samples: models that want zero-mean, unit-variance input
 * (some wav2vec2 exports) must be given it. Operators open one instance per task slot; ONNX Runtime
 * failures are {@link ErrorCode#MODEL_FAILURE}.
 */
public final class SpeechModel implements ModelRuntime<float[], SpeechModel.Transcription> {
  /** Sample rate assumed when the registry does not declare {@code sample-rate}. */
  public static final int DEFAULT_SAMPLE_RATE = 16_000;

  private final ModelSpec spec;
  private final OnnxModel model;
  private final CtcDecoder decoder;
  private final int sampleRate;
  private final int frameStride;
  private final OnnxJavaType maskType; // null: the model takes no attention mask

  /**
   * A recognized word.
   *
   * @param text the word
   * @param startSeconds start, from the start of the waveform
   * @param endSeconds end (exclusive), from the start of the waveform
   * @param confidence mean max-softmax probability over its frames, in [0, 1]
   */
  public record Word(String text, double startSeconds, double endSeconds, double confidence) {}

  /**
   * One waveform's transcript.
   *
   * @param text the words separated by single spaces; empty when nothing was recognized
   * @param words the words in order, with their times
   * @param confidence {@link CtcDecoder.Transcript#confidence()}, in [0, 1]
   * @param frames model frames decoded for this waveform
   */
  public record Transcription(String text, List<Word> words, double confidence, int frames) {
    public Transcription {
      words = List.copyOf(words);
    }
  }

  /**
   * Opens the model of {@code spec} (modality audio, task transcription) and its vocabulary; a
   * logits width that the file states and that differs from the vocabulary size is a {@link
   * ErrorCode#CONFIGURATION_INVALID} error.
   */
  public SpeechModel(ModelSpec spec) {
    if (spec.modality() != Modality.AUDIO || spec.task() != Task.TRANSCRIPTION) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "model '%s' is a %s %s model, not an audio transcription model"
              .formatted(spec.id(), spec.modality().wireName(), spec.task().wireName()));
    }
    this.spec = spec;
    Integer rate = spec.preprocessing().sampleRate();
    this.sampleRate = rate == null ? DEFAULT_SAMPLE_RATE : rate;
    this.frameStride = spec.preprocessing().frameStride();
    if (sampleRate <= 0 || frameStride <= 0) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "model '%s': sample-rate and frame-stride must be positive".formatted(spec.id()));
    }
    this.decoder = CtcDecoder.load(spec.preprocessing().vocabulary());
    this.model = OnnxModel.open(spec);
    try {
      this.maskType = maskType();
      long width = logitsWidth();
      if (width > 0 && width != decoder.vocabularySize()) {
        throw new MmflowException(
            ErrorCode.CONFIGURATION_INVALID,
            "model '%s': output '%s' has %d classes, but the vocabulary %s has %d tokens"
                .formatted(
                    spec.id(),
                    spec.output("logits"),
                    width,
                    spec.preprocessing().vocabulary().getFileName(),
                    decoder.vocabularySize()));
      }
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  public ModelSpec spec() {
    return spec;
  }

  /** The rate the waveforms must have, in Hz. */
  public int sampleRate() {
    return sampleRate;
  }

  /** Input samples per output frame. */
  public int frameStride() {
    return frameStride;
  }

  /** Seconds per output frame: {@code frame-stride / sample-rate}. */
  public double frameSeconds() {
    return (double) frameStride / sampleRate;
  }

  @Override
  public ModelInfo info() {
    return spec.info();
  }

  /** Transcribes one mono waveform at {@link #sampleRate()}. */
  @Override
  public Transcription apply(float[] waveform) {
    return applyBatch(List.of(waveform)).get(0);
  }

  /**
   * Transcribes mono waveforms at {@link #sampleRate()} in one session run: padding as in the class
   * comment, then greedy CTC decoding of each waveform's own frames.
   */
  @Override
  public List<Transcription> applyBatch(List<float[]> waveforms) {
    if (waveforms.isEmpty()) {
      return List.of();
    }
    int longest = 1;
    for (float[] w : waveforms) {
      longest = Math.max(longest, w.length);
    }
    long padded = ((long) longest + frameStride - 1) / frameStride * frameStride;
    if (padded * waveforms.size() > Integer.MAX_VALUE) {
      throw new MmflowException(
          ErrorCode.INPUT_TOO_LARGE,
          "a batch of %d waveforms of %d samples is too large for one tensor"
              .formatted(waveforms.size(), padded));
    }
    int length = (int) padded;
    long[] shape = {waveforms.size(), length};
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put(spec.input("input_values"), values(waveforms, length, shape));
      if (maskType != null) {
        inputs.put(spec.input("attention_mask"), mask(waveforms, length, shape));
      }
      try (OrtSession.Result result = model.session().run(inputs)) {
        OnnxTensor logits = (OnnxTensor) result.get(spec.output("logits")).orElseThrow();
        return decode(logits, waveforms, length);
      }
    } catch (OrtException e) {
      throw new MmflowException(
          ErrorCode.MODEL_FAILURE, "model " + spec.id() + " failed: " + e.getMessage(), e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  /** The zero-padded batch as a float tensor [N, length]. */
  private OnnxTensor values(List<float[]> waveforms, int length, long[] shape) throws OrtException {
    FloatBuffer buffer = FloatBuffer.allocate(waveforms.size() * length);
    for (int r = 0; r < waveforms.size(); r++) {
      buffer.put(r * length, waveforms.get(r));
    }
    return OnnxTensor.createTensor(model.environment(), buffer, shape);
  }

  /** 1 over each waveform's own samples, 0 over its padding, in the type the model declares. */
  private OnnxTensor mask(List<float[]> waveforms, int length, long[] shape) throws OrtException {
    int n = waveforms.size();
    if (maskType == OnnxJavaType.INT64) {
      LongBuffer buffer = LongBuffer.allocate(n * length);
      for (int r = 0; r < n; r++) {
        for (int i = 0; i < waveforms.get(r).length; i++) {
          buffer.put(r * length + i, 1L);
        }
      }
      return OnnxTensor.createTensor(model.environment(), buffer, shape);
    }
    FloatBuffer buffer = FloatBuffer.allocate(n * length);
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < waveforms.get(r).length; i++) {
        buffer.put(r * length + i, 1f);
      }
    }
    return OnnxTensor.createTensor(model.environment(), buffer, shape);
  }

  /** Greedy CTC decoding of each waveform's frames of {@code logits} [N, frames, vocabulary]. */
  private List<Transcription> decode(OnnxTensor logits, List<float[]> waveforms, int length) {
    long[] shape = logits.getInfo().getShape();
    if (shape.length != 3 || shape[0] != waveforms.size()) {
      throw new MmflowException(
          ErrorCode.MODEL_FAILURE,
          "model %s: logits have shape %s, expected [%d, frames, vocabulary]"
              .formatted(spec.id(), Arrays.toString(shape), waveforms.size()));
    }
    int frames = (int) shape[1];
    int vocab = (int) shape[2];
    if (vocab != decoder.vocabularySize()) {
      throw new MmflowException(
          ErrorCode.MODEL_FAILURE,
          "model %s: logits have %d classes per frame, but the vocabulary has %d tokens"
              .formatted(spec.id(), vocab, decoder.vocabularySize()));
    }
    FloatBuffer buffer = logits.getFloatBuffer();
    double frameSeconds = frameSeconds();
    List<Transcription> out = new ArrayList<>(waveforms.size());
    for (int r = 0; r < waveforms.size(); r++) {
      int own = (int) Math.min(frames, ceilDiv((long) frames * waveforms.get(r).length, length));
      float[] row = new float[own * vocab];
      buffer.get(r * frames * vocab, row);
      CtcDecoder.Transcript t = decoder.decode(row, own, vocab);
      List<Word> words = new ArrayList<>(t.words().size());
      for (CtcDecoder.Word w : t.words()) {
        words.add(
            new Word(
                w.text(),
                w.startSeconds(frameSeconds),
                w.endSeconds(frameSeconds),
                w.confidence()));
      }
      out.add(new Transcription(t.text(), words, t.confidence(), t.frames()));
    }
    return out;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  /** The element type of the mapped attention mask input, or null when none is mapped. */
  private OnnxJavaType maskType() {
    String name = spec.input("attention_mask");
    if (name == null) {
      return null;
    }
    OnnxJavaType type = tensorInfo(inputInfo(), name).type;
    if (type != OnnxJavaType.INT64 && type != OnnxJavaType.FLOAT) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "model '%s': attention mask '%s' is %s; int64 or float is supported"
              .formatted(spec.id(), name, type));
    }
    return type;
  }

  /** The logits' last dimension as the file states it; 0 or less when symbolic. */
  private long logitsWidth() {
    try {
      long[] shape = tensorInfo(model.session().getOutputInfo(), spec.output("logits")).getShape();
      return shape[shape.length - 1];
    } catch (OrtException e) {
      throw new MmflowException(ErrorCode.MODEL_FAILURE, "model " + spec.id() + ": " + e, e);
    }
  }

  private Map<String, NodeInfo> inputInfo() {
    try {
      return model.session().getInputInfo();
    } catch (OrtException e) {
      throw new MmflowException(ErrorCode.MODEL_FAILURE, "model " + spec.id() + ": " + e, e);
    }
  }

  private static TensorInfo tensorInfo(Map<String, NodeInfo> infos, String name) {
    return (TensorInfo) infos.get(name).getInfo();
  }

  @Override
  public void close() {
    model.close();
  }
}
