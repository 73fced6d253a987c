package io.mmflow.model.onnx;

import io.mmflow.core.model.Modality;
import io.mmflow.core.model.Task;
import io.mmflow.model.ModelInfo;
import io.mmflow.model.calibration.Calibration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One model of the registry, resolved: its files are absolute paths and its enums parsed. Read by
 * {@link ModelRegistry} from YAML; see docs/models.md for every key.
 *
 * @param id the model's id, as results record it
 * @param version its version; part of every result key
 * @param task what it does (sentiment, classification, embedding, transcription)
 * @param modality what it reads (text, image, audio)
 * @param modelFile the ONNX file
 * @param inputs input role (input_ids, attention_mask, token_type_ids, pixel_values, input_values)
 *     → the tensor name in the ONNX file
 * @param outputs output role (logits, last_hidden_state, embedding) → tensor name
 * @param preprocessing how records become tensors
 * @param labels class names in output order (classification and sentiment)
 * @param calibration how raw scores become probabilities
 * @param executionProvider {@code cpu} or {@code cuda}
 * @param deviceId the CUDA device, for {@code cuda}
 * @param threads ONNX Runtime intra-op threads per session
 * @param maxBatch largest micro-batch
 * @param maxWait longest a record waits for its micro-batch to fill
 */
public record ModelSpec(
    String id,
    String version,
    Task task,
    Modality modality,
    Path modelFile,
    Map<String, String> inputs,
    Map<String, String> outputs,
    Preprocessing preprocessing,
    List<String> labels,
    Calibration calibration,
    String executionProvider,
    int deviceId,
    int threads,
    int maxBatch,
    Duration maxWait) {

  public static final String PROVIDER = "onnxruntime";

  public ModelSpec {
    inputs = Map.copyOf(inputs);
    outputs = Map.copyOf(outputs);
    labels = List.copyOf(labels);
  }

  /**
   * Preprocessing declared for the model; fields that do not apply to its modality are null.
   *
   * @param tokenizer a HuggingFace tokenizer.json (text)
   * @param maxTokens the token budget; longer texts are truncated and flagged (text)
   * @param imageWidth tensor width (image)
   * @param imageHeight tensor height (image)
   * @param resize {@code center-crop} or {@code pad} (image)
   * @param mean per-channel mean, RGB (image)
   * @param std per-channel standard deviation, RGB (image)
   * @param sampleRate the rate the model expects (audio)
   * @param vocabulary a wav2vec2-style vocab.json for CTC decoding (audio)
   * @param frameStride input samples per output frame (audio)
   */
  public record Preprocessing(
      Path tokenizer,
      Integer maxTokens,
      Integer imageWidth,
      Integer imageHeight,
      String resize,
      float[] mean,
      float[] std,
      Integer sampleRate,
      Path vocabulary,
      Integer frameStride) {}

  /** The identity results carry in their provenance. */
  public ModelInfo info() {
    return new ModelInfo(PROVIDER, id, version);
  }

  /** The tensor name for an input role, or null when the model has no such input. */
  public String input(String role) {
    return inputs.get(role);
  }

  public String output(String role) {
    return outputs.get(role);
  }

  public boolean usesCuda() {
    return "cuda".equals(executionProvider);
  }
}
