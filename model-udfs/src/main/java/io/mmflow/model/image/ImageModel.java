package io.mmflow.model.image;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.Label;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.Task;
import io.mmflow.core.util.Vectors;
import io.mmflow.model.ModelInfo;
import io.mmflow.model.ModelRuntime;
import io.mmflow.model.onnx.ModelSpec;
import io.mmflow.model.onnx.OnnxModel;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * An image model from the registry (classification or embedding) on ONNX Runtime: a batch of
 * preprocessed images, float NCHW {@code [N, 3, H, W]} as the spec's {@code preprocessing}
 * describes (size, resize, mean, std), → one session run → per image calibrated labels, or a
 * unit-L2 embedding. Decoding and resizing are the caller's (operators' {@code ImageTensors}).
 *
 * <p>Classification: the {@code logits} output {@code [N, labels]} through the spec's calibration,
 * labels best first. Embeddings: an {@code embedding} output {@code [N, d]} is taken as it is; a
 * {@code last_hidden_state} output {@code [N, tokens, d]} (a ViT's patch tokens) is mean-pooled
 * over all tokens, since images have no padding. Either is then scaled to unit L2 norm so that a
 * dot product is the cosine similarity. A CNN feature map {@code [N, C, h, w]} is not accepted as
 * such: end the graph with GlobalAveragePool and Flatten and declare that as {@code embedding}.
 *
 * <p>One input of {@link #apply} is one image's {@code 3 * H * W} floats (CHW).
 */
public final class ImageModel implements ModelRuntime<float[], ImageModel.Prediction> {
  private final ModelSpec spec;
  private final OnnxModel model;

  /**
   * One image's answer.
   *
   * @param labels calibrated label scores, best first (empty for embeddings)
   * @param rawScores the model's logits in label order (null for embeddings)
   * @param embedding the unit-norm embedding, or null
   */
  public record Prediction(List<Label> labels, float[] rawScores, float[] embedding) {
    /** The best label's calibrated score, or null for embeddings. */
    public Double confidence() {
      return labels.isEmpty() ? null : labels.get(0).score();
    }
  }

  /**
   * Opens and checks a session for {@code spec}.
   *
   * @throws MmflowException CONFIGURATION_INVALID when the spec is not an image classification or
   *     embedding model, or its ONNX file does not match it
   */
  public ImageModel(ModelSpec spec) {
    if (spec.modality() != Modality.IMAGE
        || (spec.task() != Task.CLASSIFICATION && spec.task() != Task.EMBEDDING)) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "model '%s' is a %s %s model; an image model needs modality image and task"
                  .formatted(spec.id(), spec.modality().wireName(), spec.task().wireName())
              + " classification or embedding");
    }
    this.spec = spec;
    this.model = OnnxModel.open(spec);
  }

  public ModelSpec spec() {
    return spec;
  }

  /** Tensor width W, from {@code preprocessing.image-size}. */
  public int width() {
    return spec.preprocessing().imageWidth();
  }

  /** Tensor height H, from {@code preprocessing.image-size}. */
  public int height() {
    return spec.preprocessing().imageHeight();
  }

  /** Floats per image: {@code 3 * H * W}. */
  public int floatsPerImage() {
    return 3 * width() * height();
  }

  @Override
  public ModelInfo info() {
    return spec.info();
  }

  /** Runs the model on one image's CHW floats. */
  @Override
  public Prediction apply(float[] chw) {
    if (chw.length != floatsPerImage()) {
      throw new IllegalArgumentException(
          "%d floats, not 3*H*W = %d".formatted(chw.length, floatsPerImage()));
    }
    return applyBatch(chw, 1).get(0);
  }

  /** Concatenates the images' CHW floats into one batch and runs it once. */
  @Override
  public List<Prediction> applyBatch(List<float[]> images) {
    int per = floatsPerImage();
    float[] nchw = new float[Math.multiplyExact(images.size(), per)];
    for (int i = 0; i < images.size(); i++) {
      float[] one = images.get(i);
      if (one.length != per) {
        throw new IllegalArgumentException(
            "image %d has %d floats, not 3*H*W = %d".formatted(i, one.length, per));
      }
      System.arraycopy(one, 0, nchw, i * per, per);
    }
    return applyBatch(nchw, images.size());
  }

  /**
   * Runs the model once on the first {@code rows} images of {@code nchw}, one {@link
   * #floatsPerImage()} slice after another; a longer buffer is allowed and its tail ignored.
   *
   * @throws MmflowException MODEL_FAILURE when ONNX Runtime fails
   * @throws IllegalArgumentException when the buffer is shorter than {@code rows} images
   */
  public List<Prediction> applyBatch(float[] nchw, int rows) {
    if (rows == 0) {
      return List.of();
    }
    int per = floatsPerImage();
    if (rows < 0 || (long) rows * per > nchw.length) {
      throw new IllegalArgumentException(
          "%d floats hold no %d images of 3*H*W = %d floats".formatted(nchw.length, rows, per));
    }
    long[] shape = {rows, 3, height(), width()};
    FloatBuffer data = FloatBuffer.wrap(nchw, 0, rows * per);
    try (OnnxTensor input = OnnxTensor.createTensor(model.environment(), data, shape);
        OrtSession.Result result = model.session().run(Map.of(spec.input("pixel_values"), input))) {
      return spec.task() == Task.EMBEDDING ? embeddings(result, rows) : classes(result, rows);
    } catch (OrtException e) {
      throw new MmflowException(
          ErrorCode.MODEL_FAILURE, "model " + spec.id() + " failed: " + e.getMessage(), e);
    }
  }

  private List<Prediction> classes(OrtSession.Result result, int rows) {
    FloatBuffer logits = output(result, spec.output("logits")).getFloatBuffer();
    int classes = spec.labels().size();
    List<Prediction> out = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      float[] raw = new float[classes];
      logits.get(r * classes, raw);
      double[] p = spec.calibration().probabilities(raw);
      List<Label> labels = new ArrayList<>(classes);
      for (int c = 0; c < classes; c++) {
        labels.add(new Label(spec.labels().get(c), p[c]));
      }
      labels.sort(Comparator.comparingDouble(Label::score).reversed());
      out.add(new Prediction(labels, raw, null));
    }
    return out;
  }

  private List<Prediction> embeddings(OrtSession.Result result, int rows) {
    String pooled = spec.output("embedding");
    OnnxTensor t = output(result, pooled != null ? pooled : spec.output("last_hidden_state"));
    long[] shape = t.getInfo().getShape();
    // [N, d] as it is; [N, tokens, d] summed over its tokens (the mean, once scaled to unit length)
    int tokens = pooled != null ? 1 : (int) shape[1];
    int dim = (int) shape[shape.length - 1];
    FloatBuffer buffer = t.getFloatBuffer();
    List<Prediction> out = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      float[] v = new float[dim];
      for (int k = 0; k < tokens; k++) {
        int base = (r * tokens + k) * dim;
        for (int d = 0; d < dim; d++) {
          v[d] += buffer.get(base + d);
        }
      }
      out.add(new Prediction(List.of(), null, Vectors.unitLength(v)));
    }
    return out;
  }

  private static OnnxTensor output(OrtSession.Result result, String name) {
    return (OnnxTensor) result.get(name).orElseThrow();
  }

  @Override
  public void close() {
    model.close();
  }
}
