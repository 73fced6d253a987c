package io.mmflow.datasets.models.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.datasets.models.onnx.OnnxModelWriter;
import io.mmflow.model.image.ImageModel;
import io.mmflow.model.onnx.ModelRegistry;
import io.mmflow.model.onnx.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ImageModel on hand-made 2×2 image graphs: a ViT-like {@code last_hidden_state} (one token per
 * pixel) is mean-pooled and scaled to unit length; a graph that fails at run time is a coded
 * MODEL_FAILURE.
 */
class ImageModelTest {
  @TempDir Path dir;

  /** Registry with one 2×2 embedding model whose output has role {@code role}. */
  private ModelSpec embeddingModel(OnnxModelWriter graph, String role) throws Exception {
    graph.write(dir.resolve("model.onnx"));
    Files.writeString(
        dir.resolve("models.yaml"),
        """
        models:
          - id: m
            version: "1"
            task: embedding
            modality: image
            path: model.onnx
            inputs: {pixel_values: pixel_values}
            outputs: {%s: out}
            preprocessing: {image-size: [2, 2], mean: [0, 0, 0], std: [1, 1, 1]}
        """
            .formatted(role));
    return ModelRegistry.load(dir.resolve("models.yaml").toString()).get("m");
  }

  @Test
  void patchTokensAreMeanPooledAndNormalised() throws Exception {
    // [N, 3, 2, 2] → [N, 3, 4] → [N, 4 tokens, 3 channels]
    OnnxModelWriter graph =
        new OnnxModelWriter("tokens")
            .input("pixel_values", OnnxModelWriter.FLOAT, "batch", 3, 2, 2)
            .output("out", OnnxModelWriter.FLOAT, "batch", 4, 3)
            .initializer("shape", new long[] {0, 3, 4}, 3)
            .node("Reshape", List.of("pixel_values", "shape"), "flat")
            .node("Transpose", List.of("flat"), "out", Map.of("perm", new long[] {0, 2, 1}));
    float[] image = {1, 2, 3, 2, /* G */ 0, 0, 0, 4, /* B */ 5, 5, 5, 5};
    float[] other = {1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0};
    try (ImageModel model = new ImageModel(embeddingModel(graph, "last_hidden_state"))) {
      List<ImageModel.Prediction> p = model.applyBatch(List.of(image, other));
      // channel means (2, 1, 5), scaled to unit length
      double norm = Math.sqrt(2 * 2 + 1 + 5 * 5);
      assertThat(p.get(0).embedding())
          .containsExactly(
              new float[] {(float) (2 / norm), (float) (1 / norm), (float) (5 / norm)},
              within(1e-6f));
      assertThat(p.get(1).embedding()).containsExactly(new float[] {1, 0, 0}, within(1e-6f));
      assertThatThrownBy(() -> model.apply(new float[5]))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aRunTimeFailureOfOnnxRuntimeIsAModelFailure() throws Exception {
    // 12 floats per image cannot be reshaped to 5 rows: fails when run, not when loaded
    OnnxModelWriter graph =
        new OnnxModelWriter("broken")
            .input("pixel_values", OnnxModelWriter.FLOAT, "batch", 3, 2, 2)
            .output("out", OnnxModelWriter.FLOAT, "rows", "columns")
            .initializer("shape", new long[] {5, -1}, 2)
            .node("Reshape", List.of("pixel_values", "shape"), "out");
    try (ImageModel model = new ImageModel(embeddingModel(graph, "embedding"))) {
      assertThatThrownBy(() -> model.apply(new float[12]))
          .isInstanceOfSatisfying(
              MmflowException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_FAILURE))
          .hasMessageContaining("model m failed");
    }
  }
}
