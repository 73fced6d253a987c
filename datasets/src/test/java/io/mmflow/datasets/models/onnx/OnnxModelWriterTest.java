package io.mmflow.datasets.models.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mmflow.datasets.models.text.WordPieceTokenizerJson;
import io.mmflow.model.onnx.ModelRegistry;
import io.mmflow.model.text.TextModel;
import io.mmflow.model.text.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A text-embedding model built here (a Gather over a known table → last_hidden_state), run by ONNX
 * Runtime through the registry: the written file loads, and TextModel mean-pools over the attention
 * mask and scales to unit length exactly as computed by hand.
 */
class OnnxModelWriterTest {
  @Test
  void anEmbeddingModelWrittenHereIsPooledAndNormalisedByTheRuntime(@TempDir Path dir)
      throws Exception {
    Map<String, Integer> vocab =
        WordPieceTokenizerJson.write(dir.resolve("tokenizer.json"), List.of("good", "bad", "day"));
    int v = vocab.size();
    int d = 3;
    float[] table = new float[v * d];
    for (int t = 0; t < v; t++) {
      for (int k = 0; k < d; k++) {
        table[t * d + k] = t + 0.5f * k; // row t = (t, t + 0.5, t + 1)
      }
    }
    new OnnxModelWriter("bag_of_embeddings")
        .input("input_ids", OnnxModelWriter.INT64, "batch", "sequence")
        .input("attention_mask", OnnxModelWriter.INT64, "batch", "sequence")
        .output("last_hidden_state", OnnxModelWriter.FLOAT, "batch", "sequence", d)
        .initializer("table", table, v, d)
        .node("Gather", List.of("table", "input_ids"), "last_hidden_state", Map.of("axis", 0L))
        .write(dir.resolve("model.onnx"));
    Files.writeString(
        dir.resolve("models.yaml"),
        """
        models:
          - id: emb
            version: "1"
            task: embedding
            modality: text
            path: model.onnx
            inputs: {input_ids: input_ids, attention_mask: attention_mask}
            outputs: {last_hidden_state: last_hidden_state}
            preprocessing: {tokenizer: tokenizer.json, max-tokens: 16}
        """);

    try (TextModel model =
            new TextModel(ModelRegistry.load(dir.resolve("models.yaml").toString()).get("emb"));
        TextTokenizer tokenizer = new TextTokenizer(dir.resolve("tokenizer.json"), 16)) {
      List<String> texts = List.of("good day", "bad");
      List<TextModel.Prediction> out = model.applyBatch(texts); // "bad" is padded in the batch
      for (int i = 0; i < texts.size(); i++) {
        TextTokenizer.Batch b = tokenizer.encode(List.of(texts.get(i)));
        double[] mean = new double[d];
        for (long id : b.ids()) {
          for (int k = 0; k < d; k++) {
            mean[k] += table[(int) id * d + k] / (double) b.length();
          }
        }
        double norm = Math.sqrt(mean[0] * mean[0] + mean[1] * mean[1] + mean[2] * mean[2]);
        float[] e = out.get(i).embedding();
        assertThat(e).hasSize(d);
        for (int k = 0; k < d; k++) {
          assertThat((double) e[k]).isCloseTo(mean[k] / norm, within(1e-5));
        }
        assertThat(out.get(i).labels()).isEmpty();
      }
      // the padding of the shorter row did not enter its mean
      assertThat(out.get(1).embedding()).isEqualTo(model.apply("bad").embedding());
    }
  }
}
