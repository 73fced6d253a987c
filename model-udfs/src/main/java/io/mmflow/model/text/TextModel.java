package io.mmflow.model.text;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.Label;
import io.mmflow.core.model.Task;
import io.mmflow.core.util.Vectors;
import io.mmflow.model.ModelInfo;
import io.mmflow.model.ModelRuntime;
import io.mmflow.model.onnx.ModelSpec;
import io.mmflow.model.onnx.OnnxModel;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A text model from the registry (classification, sentiment or embedding) on ONNX Runtime: texts →
 * tokenizer.json → input_ids, attention_mask (and token_type_ids where the model has them) → one
 * session run per sub-batch of similar lengths ({@link LengthBuckets}) → calibrated labels, or a
 * pooled, L2-normalised embedding.
 *
 * <p>Embeddings: an {@code embedding} output is taken as it is; a {@code last_hidden_state} output
 * is mean-pooled over the tokens the attention mask keeps (as sentence-transformers do). Both are
 * then scaled to unit L2 norm so that a dot product is the cosine similarity.
 */
public final class TextModel implements ModelRuntime<String, TextModel.Prediction> {
  private final ModelSpec spec;
  private final OnnxModel model;
  private final TextTokenizer tokenizer;
  // the one output the task reads: a BERT export's last_hidden_state is not copied out when only
  // its logits are wanted
  private final Set<String> requested;
  private final LengthBuckets buckets = new LengthBuckets(32);

  /**
   * One text's answer.
   *
   * @param labels calibrated label scores, best first (empty for embeddings)
   * @param rawScores the model's raw scores in label order
   * @param embedding the unit-norm embedding, or null
   * @param tokens tokens the model saw
   * @param truncated whether the text was cut to the token budget
   */
  public record Prediction(
      List<Label> labels, float[] rawScores, float[] embedding, int tokens, boolean truncated) {
    /** The best label's calibrated score, or null for embeddings. */
    public Double confidence() {
      return labels.isEmpty() ? null : labels.get(0).score();
    }
  }

  public TextModel(ModelSpec spec) {
    this(spec, null);
  }

  /**
   * A model whose ONNX session is shared by the text models opened with an equal {@code share} key
   * ({@link OnnxModel#open(ModelSpec, Object)}); the tokenizer is its own.
   */
  public TextModel(ModelSpec spec, Object share) {
    this.spec = spec;
    this.requested =
        Set.of(
            spec.task() != Task.EMBEDDING
                ? spec.output("logits")
                : spec.output("embedding") != null
                    ? spec.output("embedding")
                    : spec.output("last_hidden_state"));
    this.model = OnnxModel.open(spec, share);
    Integer max = spec.preprocessing().maxTokens();
    try {
      this.tokenizer = new TextTokenizer(spec.preprocessing().tokenizer(), max == null ? 512 : max);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  public ModelSpec spec() {
    return spec;
  }

  /** The token budget; longer texts are cut and flagged. */
  public int maxTokens() {
    return tokenizer.maxTokens();
  }

  @Override
  public ModelInfo info() {
    return spec.info();
  }

  @Override
  public Prediction apply(String text) {
    return applyBatch(List.of(text)).get(0);
  }

  /**
   * Tokenizes the batch, splits it into sub-batches of similar length ({@link LengthBuckets}) and
   * runs each; predictions come back in the order of {@code texts}.
   */
  @Override
  public List<Prediction> applyBatch(List<String> texts) {
    if (texts.isEmpty()) {
      return List.of();
    }
    TextTokenizer.Rows rows = tokenizer.encodeRows(texts);
    Prediction[] out = new Prediction[texts.size()];
    for (int[] group : buckets.split(rows.lengths())) {
      TextTokenizer.Batch batch = TextTokenizer.pad(rows, group);
      long started = System.nanoTime();
      List<Prediction> predictions = run(batch);
      buckets.observe((long) batch.rows() * batch.length(), System.nanoTime() - started);
      for (int k = 0; k < group.length; k++) {
        out[group[k]] = predictions.get(k);
      }
    }
    return Arrays.asList(out);
  }

  private List<Prediction> run(TextTokenizer.Batch batch) {
    long[] shape = {batch.rows(), batch.length()};
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put(spec.input("input_ids"), tensor(batch.ids(), shape));
      inputs.put(spec.input("attention_mask"), tensor(batch.attentionMask(), shape));
      if (spec.input("token_type_ids") != null) {
        inputs.put(spec.input("token_type_ids"), tensor(batch.typeIds(), shape));
      }
      try (OrtSession.Result result = model.session().run(inputs, requested)) {
        return spec.task() == Task.EMBEDDING ? embeddings(result, batch) : classes(result, batch);
      }
    } catch (OrtException e) {
      throw new MmflowException(
          ErrorCode.MODEL_FAILURE, "model " + spec.id() + " failed: " + e.getMessage(), e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  private OnnxTensor tensor(long[] values, long[] shape) throws OrtException {
    return OnnxTensor.createTensor(model.environment(), LongBuffer.wrap(values), shape);
  }

  private List<Prediction> classes(OrtSession.Result result, TextTokenizer.Batch batch) {
    OnnxTensor logits = output(result, spec.output("logits"));
    FloatBuffer buffer = logits.getFloatBuffer();
    int classes = spec.labels().size();
    List<Prediction> out = new ArrayList<>(batch.rows());
    for (int r = 0; r < batch.rows(); r++) {
      float[] raw = new float[classes];
      buffer.get(r * classes, raw);
      double[] p = spec.calibration().probabilities(raw);
      List<Label> labels = new ArrayList<>(classes);
      for (int c = 0; c < classes; c++) {
        labels.add(new Label(spec.labels().get(c), p[c]));
      }
      labels.sort(Comparator.comparingDouble(Label::score).reversed());
      out.add(new Prediction(labels, raw, null, batch.tokenCounts()[r], batch.truncated()[r]));
    }
    return out;
  }

  private List<Prediction> embeddings(OrtSession.Result result, TextTokenizer.Batch batch) {
    List<Prediction> out = new ArrayList<>(batch.rows());
    String pooled = spec.output("embedding");
    if (pooled != null) {
      OnnxTensor t = output(result, pooled);
      int dim = (int) t.getInfo().getShape()[1];
      FloatBuffer buffer = t.getFloatBuffer();
      for (int r = 0; r < batch.rows(); r++) {
        float[] v = new float[dim];
        buffer.get(r * dim, v);
        out.add(embedding(v, batch, r));
      }
      return out;
    }
    OnnxTensor hidden = output(result, spec.output("last_hidden_state"));
    long[] shape = hidden.getInfo().getShape();
    int length = (int) shape[1];
    int dim = (int) shape[2];
    FloatBuffer buffer = hidden.getFloatBuffer();
    for (int r = 0; r < batch.rows(); r++) {
      float[] v = new float[dim];
      int kept = 0;
      for (int t = 0; t < length; t++) {
        if (batch.attentionMask()[r * batch.length() + t] == 0) {
          continue;
        }
        kept++;
        int base = (r * length + t) * dim;
        for (int d = 0; d < dim; d++) {
          v[d] += buffer.get(base + d);
        }
      }
      for (int d = 0; d < dim; d++) {
        v[d] /= Math.max(1, kept);
      }
      out.add(embedding(v, batch, r));
    }
    return out;
  }

  private static Prediction embedding(float[] v, TextTokenizer.Batch batch, int row) {
    return new Prediction(
        List.of(), null, Vectors.unitLength(v), batch.tokenCounts()[row], batch.truncated()[row]);
  }

  private OnnxTensor output(OrtSession.Result result, String name) {
    OnnxValue value = result.get(name).orElseThrow();
    return (OnnxTensor) value;
  }

  @Override
  public void close() {
    try {
      tokenizer.close();
    } finally {
      model.close(); // a shared session's hold is released whatever the tokenizer did
    }
  }
}
