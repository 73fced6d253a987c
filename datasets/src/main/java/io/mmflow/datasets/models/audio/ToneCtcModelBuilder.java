package io.mmflow.datasets.models.audio;

import io.mmflow.datasets.models.onnx.OnnxModelWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds {@code tone-ctc}, a small deterministic speech-to-text model with the interface of a
 * wav2vec2 CTC export, for tests and demos of the audio path: {@code input_values} float [N,
 * samples] at 16 kHz → {@code logits} float [N, frames, 32], one frame per 320 samples (20 ms),
 * decoded with a wav2vec2-style {@code vocab.json}. It reads the "speech" {@link ToneSpeech}
 * renders: every character of {@link #ALPHABET} a pure tone at its own {@linkplain #frequency
 * frequency}.
 *
 * <p>The graph, per 20 ms frame {@code x} (320 samples):
 *
 * <ol>
 *   <li>Conv with kernel and stride 320 over a filter bank of Hann-windowed cosine and sine filters
 *       at the tone frequencies, scaled so that a tone of amplitude {@code a} filling the frame
 *       projects to magnitude {@code a}. The tones lie on every third bin of a 320-point DFT (300
 *       Hz + 150 Hz per character), so a whole tone leaks nothing into the other filters.
 *   <li>Energies: the cosine and sine projections squared and summed per tone: {@code E_c}.
 *   <li>MatMul + Add: token scores {@code s_c = E_c + 1e-8} for characters, {@code s_blank = 0.5 *
 *       sum(E) + 1e-4} for {@code <pad>} (the CTC blank), {@code 1e-10} for {@code <s>}, {@code
 *       </s>}, {@code <unk>}.
 *   <li>{@code logits = 6 * log(s)}.
 * </ol>
 *
 * So a frame emits a character when its tone holds more than half the filter-bank energy and is
 * louder than about -40 dBFS; silence, and frames that only graze the edge of a tone, give the
 * blank. The softmax of the logits is {@code s_c^6 / sum(s^6)}: about 0.98 for a whole tone.
 *
 * <p>Deterministic: the same arguments give byte-identical files ({@link StrictMath} for the
 * weights, a fixed order everywhere).
 */
public final class ToneCtcModelBuilder {
  public static final String MODEL_ID = "tone-ctc";
  public static final String VERSION = "tones-1";
  public static final int SAMPLE_RATE = 16_000;
  public static final int FRAME_STRIDE = 320;

  /** The characters with a tone, in tone order; {@code |} is the word delimiter (a space). */
  public static final String ALPHABET = "|abcdefghijklmnopqrstuvwxyz'";

  /** wav2vec2's special tokens, at indices 0 to 3; the characters follow from index 4. */
  public static final List<String> SPECIAL = List.of("<pad>", "<s>", "</s>", "<unk>");

  private static final double BASE_HZ = 300;
  private static final double STEP_HZ = 150;
  private static final float BLANK_SHARE = 0.5f;
  private static final float BLANK_FLOOR = 1e-4f;
  private static final float CHAR_FLOOR = 1e-8f;
  private static final float SPECIAL_FLOOR = 1e-10f;
  private static final float SHARPNESS = 6f;

  private ToneCtcModelBuilder() {}

  /** {@code ToneCtcModelBuilder <registry dir>}: writes the model there. */
  public static void main(String[] args) throws IOException {
    Path registry = build(Path.of(args.length > 0 ? args[0] : "tone-ctc-registry"), false);
    System.out.println("wrote " + registry);
  }

  /** The tone frequency of {@code c} (a character of {@link #ALPHABET}, or a space), in Hz. */
  public static double frequency(char c) {
    int i = ALPHABET.indexOf(c == ' ' ? '|' : c);
    if (i < 0) {
      throw new IllegalArgumentException("no tone for '" + c + "'");
    }
    return BASE_HZ + STEP_HZ * i;
  }

  /** The vocabulary, token → logit index, in index order: special tokens, then the alphabet. */
  public static Map<String, Integer> vocabulary() {
    Map<String, Integer> vocab = new LinkedHashMap<>();
    SPECIAL.forEach(t -> vocab.put(t, vocab.size()));
    for (char c : ALPHABET.toCharArray()) {
      vocab.put(String.valueOf(c), vocab.size());
    }
    return vocab;
  }

  /**
   * Writes {@code models.yaml} (one model, {@link #MODEL_ID}) into {@code registryDir} and {@code
   * model.onnx} and {@code vocab.json} into {@code registryDir/tone-ctc}.
   *
   * @param attentionMask whether the model also takes an int64 {@code attention_mask} [N, samples]
   *     (the input is multiplied by it), as wav2vec2 exports do
   * @return the {@code models.yaml} written
   */
  public static Path build(Path registryDir, boolean attentionMask) throws IOException {
    Path modelDir = registryDir.resolve(MODEL_ID);
    Files.createDirectories(modelDir);
    Files.writeString(modelDir.resolve("vocab.json"), vocabularyJson(), StandardCharsets.UTF_8);
    Files.write(modelDir.resolve("model.onnx"), onnx(attentionMask));
    Path yaml = registryDir.resolve("models.yaml");
    Files.writeString(yaml, registryYaml(attentionMask), StandardCharsets.UTF_8);
    return yaml;
  }

  /** The vocabulary as a wav2vec2 {@code vocab.json}, in index order. */
  static String vocabularyJson() {
    List<String> entries = new ArrayList<>();
    vocabulary().forEach((t, i) -> entries.add("\"" + t + "\": " + i));
    return "{" + String.join(", ", entries) + "}\n";
  }

  /** The serialized ONNX model described in the class comment. */
  static byte[] onnx(boolean attentionMask) {
    int tones = ALPHABET.length();
    int vocab = SPECIAL.size() + tones;
    OnnxModelWriter w =
        new OnnxModelWriter("tone_ctc")
            .input("input_values", OnnxModelWriter.FLOAT, "batch", "samples")
            .output("logits", OnnxModelWriter.FLOAT, "batch", "frames", vocab)
            .initializer("axis_channel", new long[] {1}, 1)
            .initializer("filters", filterBank(), 2 * tones, 1, FRAME_STRIDE)
            .initializer("token_weights", tokenWeights(), 2 * tones, vocab)
            .initializer("token_floor", tokenFloor(), vocab)
            .initializer("sharpness", new float[] {SHARPNESS}, 1);
    String samples = "input_values";
    if (attentionMask) {
      // int64 like the wav2vec2 exports of HuggingFace's optimum
      w.input("attention_mask", OnnxModelWriter.INT64, "batch", "samples")
          .node(
              "Cast",
              List.of("attention_mask"),
              "mask_values",
              Map.of("to", (long) OnnxModelWriter.FLOAT))
          .node("Mul", List.of("input_values", "mask_values"), "masked_values");
      samples = "masked_values";
    }
    return w.node("Unsqueeze", List.of(samples, "axis_channel"), "waveform")
        .node(
            "Conv",
            List.of("waveform", "filters"),
            "projections",
            new TreeMap<>( // a fixed attribute order: Map.of's differs between JVM runs
                Map.of(
                    "kernel_shape",
                    new long[] {FRAME_STRIDE},
                    "strides",
                    new long[] {FRAME_STRIDE})))
        .node("Transpose", List.of("projections"), "frames", Map.of("perm", new long[] {0, 2, 1}))
        .node("Mul", List.of("frames", "frames"), "squares")
        .node("MatMul", List.of("squares", "token_weights"), "energies")
        .node("Add", List.of("energies", "token_floor"), "scores")
        .node("Log", List.of("scores"), "log_scores")
        .node("Mul", List.of("log_scores", "sharpness"), "logits")
        .metadata("mmflow.model", MODEL_ID + "@" + VERSION)
        .metadata(
            "mmflow.description",
            "CTC recognizer of ToneSpeech: one pure tone per character, 16 kHz, 20 ms frames")
        .toBytes();
  }

  /**
   * Filters [2 * tones, 1, 320]: for tone {@code i}, row {@code 2i} is {@code w[n] cos(2 pi f_i n /
   * 16000)} and row {@code 2i+1} the sine, {@code w} the periodic Hann window times {@code 2 /
   * sum(w)}.
   */
  private static float[] filterBank() {
    int tones = ALPHABET.length();
    float[] f = new float[2 * tones * FRAME_STRIDE];
    double[] window = new double[FRAME_STRIDE];
    double sum = 0;
    for (int n = 0; n < FRAME_STRIDE; n++) {
      window[n] = 0.5 - 0.5 * StrictMath.cos(2 * StrictMath.PI * n / FRAME_STRIDE);
      sum += window[n];
    }
    for (int i = 0; i < tones; i++) {
      double hz = frequency(ALPHABET.charAt(i));
      for (int n = 0; n < FRAME_STRIDE; n++) {
        double phase = 2 * StrictMath.PI * hz * n / SAMPLE_RATE;
        double scale = 2 * window[n] / sum;
        f[(2 * i) * FRAME_STRIDE + n] = (float) (scale * StrictMath.cos(phase));
        f[(2 * i + 1) * FRAME_STRIDE + n] = (float) (scale * StrictMath.sin(phase));
      }
    }
    return f;
  }

  /**
   * [2 * tones, vocabulary]: both projections of tone {@code i} count 1 for its character and
   * {@value #BLANK_SHARE} for the blank.
   */
  private static float[] tokenWeights() {
    int tones = ALPHABET.length();
    int vocab = SPECIAL.size() + tones;
    float[] m = new float[2 * tones * vocab];
    for (int i = 0; i < tones; i++) {
      for (int p = 0; p < 2; p++) {
        int row = (2 * i + p) * vocab;
        m[row] = BLANK_SHARE;
        m[row + SPECIAL.size() + i] = 1;
      }
    }
    return m;
  }

  private static float[] tokenFloor() {
    int vocab = SPECIAL.size() + ALPHABET.length();
    float[] b = new float[vocab];
    b[0] = BLANK_FLOOR;
    for (int t = 1; t < vocab; t++) {
      b[t] = t < SPECIAL.size() ? SPECIAL_FLOOR : CHAR_FLOOR;
    }
    return b;
  }

  /** The registry entry; see docs/models.md for the keys. */
  static String registryYaml(boolean attentionMask) {
    String inputs =
        attentionMask
            ? "{input_values: input_values, attention_mask: attention_mask}"
            : "{input_values: input_values}";
    return """
        # Built by io.mmflow.datasets.models.audio.ToneCtcModelBuilder. Paths are relative to this
        # file; see docs/models.md for every key.
        models:
          - id: %s
            version: %s
            description: CTC recognizer of ToneSpeech audio (one pure tone per character), for tests
            source: built by the project's own code, no training data
            task: transcription
            modality: audio
            runtime: onnx
            path: %s/model.onnx
            inputs: %s
            outputs: {logits: logits}
            preprocessing: {sample-rate: %d, vocabulary: %s/vocab.json, frame-stride: %d}
            execution-provider: cpu
            threads: 1
            batch: {max-size: 8, max-wait: 20ms}
        """
        .formatted(MODEL_ID, VERSION, MODEL_ID, inputs, SAMPLE_RATE, MODEL_ID, FRAME_STRIDE);
  }
}
