package io.mmflow.datasets.models.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mmflow.core.model.Task;
import io.mmflow.model.onnx.ModelRegistry;
import io.mmflow.model.onnx.ModelSpec;
import io.mmflow.model.text.TextModel;
import io.mmflow.model.text.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BERT-shaped model through mmflow's text loader (registry → tokenizer.json → ONNX Runtime with
 * input_ids, attention_mask and token_type_ids) against the same forward pass written out in plain
 * Java from the builder's weights.
 */
class TinyBertBuilderTest {
  private static final Path TOKENIZER =
      Path.of("../model-udfs/src/main/resources/models/sentiment-en/tokenizer.json");
  private static final TinyBertBuilder.Shape SHAPE = new TinyBertBuilder.Shape(32, 4, 64, 2, 64, 3);
  private static final List<String> TEXTS =
      List.of(
          "Great phone, the battery lasts for days.",
          "Terrible.",
          "It broke after a week and support never answered my emails at all.");

  @TempDir static Path dir;
  static TinyBertBuilder.Built built;

  @BeforeAll
  static void build() throws Exception {
    built = TinyBertBuilder.build(dir, TOKENIZER, SHAPE);
  }

  @Test
  void onnxRuntimeMatchesTheReferenceForwardPass() {
    ModelSpec spec = ModelRegistry.load(built.registry().toString()).get(TinyBertBuilder.MODEL_ID);
    assertThat(spec.input("token_type_ids")).isEqualTo("token_type_ids");
    try (TextModel model = new TextModel(spec);
        TextTokenizer tokenizer = new TextTokenizer(spec.preprocessing().tokenizer(), 64)) {
      List<TextModel.Prediction> batch = model.applyBatch(TEXTS);
      for (int i = 0; i < TEXTS.size(); i++) {
        TextTokenizer.Batch one = tokenizer.encode(List.of(TEXTS.get(i)));
        float[] expected = new Reference(built.weights(), SHAPE).logits(one.ids());
        // padded in a batch of three, or alone: the attention mask keeps the answer the same
        assertThat(batch.get(i).rawScores()[0]).isCloseTo(expected[0], within(2e-4f));
        assertThat(batch.get(i).rawScores()[1]).isCloseTo(expected[1], within(2e-4f));
        assertThat(model.apply(TEXTS.get(i)).rawScores()[0]).isCloseTo(expected[0], within(2e-4f));
        assertThat(batch.get(i).labels().get(0).score() + batch.get(i).labels().get(1).score())
            .isCloseTo(1.0, within(1e-9));
      }
      // random weights still tell texts apart
      assertThat(batch.get(0).rawScores()[0]).isNotEqualTo(batch.get(1).rawScores()[0]);
    }
  }

  @Test
  void embeddingIsTheMaskedMeanOfTheLastHiddenStateWithUnitNorm() {
    ModelSpec spec =
        ModelRegistry.load(built.registry().toString()).get(TinyBertBuilder.EMBEDDING_ID);
    assertThat(spec.task()).isEqualTo(Task.EMBEDDING);
    try (TextModel model = new TextModel(spec);
        TextTokenizer tokenizer = new TextTokenizer(spec.preprocessing().tokenizer(), 64)) {
      List<TextModel.Prediction> batch = model.applyBatch(TEXTS);
      for (int i = 0; i < TEXTS.size(); i++) {
        long[] ids = tokenizer.encode(List.of(TEXTS.get(i))).ids();
        float[][] hidden = new Reference(built.weights(), SHAPE).hidden(ids);
        float[] mean = new float[SHAPE.hidden()];
        for (float[] row : hidden) {
          for (int d = 0; d < mean.length; d++) {
            mean[d] += row[d] / hidden.length;
          }
        }
        float[] expected = Reference.unit(mean);
        float[] got = batch.get(i).embedding();
        assertThat(got).hasSize(SHAPE.hidden());
        for (int d = 0; d < got.length; d++) {
          assertThat(got[d]).isCloseTo(expected[d], within(2e-4f));
        }
      }
    }
  }

  @Test
  void sameShapeAndSeedGiveTheSameFile(@TempDir Path other) throws Exception {
    TinyBertBuilder.build(other, TOKENIZER, SHAPE);
    Path file = Path.of(TinyBertBuilder.MODEL_ID, "model.onnx");
    assertThat(Files.readAllBytes(other.resolve(file)))
        .isEqualTo(Files.readAllBytes(dir.resolve(file)));
  }

  /** BERT's encoder, written out plainly for one unpadded sequence (token types all 0). */
  private record Reference(Map<String, float[]> w, TinyBertBuilder.Shape s) {
    float[] logits(long[] ids) {
      float[] cls = hidden(ids)[0];
      float[] pooled = linear(cls, "pooler", s.hidden(), s.hidden());
      for (int i = 0; i < pooled.length; i++) {
        pooled[i] = (float) Math.tanh(pooled[i]);
      }
      return linear(pooled, "classifier", s.hidden(), 2);
    }

    float[][] hidden(long[] ids) {
      int n = ids.length;
      int h = s.hidden();
      float[][] x = new float[n][h];
      for (int t = 0; t < n; t++) {
        for (int d = 0; d < h; d++) {
          x[t][d] =
              w.get("emb.word")[(int) ids[t] * h + d]
                  + w.get("emb.position")[t * h + d]
                  + w.get("emb.type")[d];
        }
        x[t] = norm(x[t], "emb.ln");
      }
      for (int l = 0; l < s.layers(); l++) {
        x = layer(x, "l" + l + ".");
      }
      return x;
    }

    private float[][] layer(float[][] x, String p) {
      int n = x.length;
      int h = s.hidden();
      int hs = s.headSize();
      float[][] q = new float[n][];
      float[][] k = new float[n][];
      float[][] v = new float[n][];
      for (int t = 0; t < n; t++) {
        q[t] = linear(x[t], p + "q", h, h);
        k[t] = linear(x[t], p + "k", h, h);
        v[t] = linear(x[t], p + "v", h, h);
      }
      float[][] out = new float[n][];
      for (int t = 0; t < n; t++) {
        float[] ctx = new float[h];
        for (int head = 0; head < s.heads(); head++) {
          double[] scores = new double[n];
          double max = Double.NEGATIVE_INFINITY;
          for (int u = 0; u < n; u++) {
            double dot = 0;
            for (int d = 0; d < hs; d++) {
              dot += q[t][head * hs + d] * k[u][head * hs + d];
            }
            scores[u] = dot / Math.sqrt(hs);
            max = Math.max(max, scores[u]);
          }
          double sum = 0;
          for (int u = 0; u < n; u++) {
            scores[u] = Math.exp(scores[u] - max);
            sum += scores[u];
          }
          for (int u = 0; u < n; u++) {
            for (int d = 0; d < hs; d++) {
              ctx[head * hs + d] += (float) (scores[u] / sum * v[u][head * hs + d]);
            }
          }
        }
        float[] attn = linear(ctx, p + "o", h, h);
        float[] h1 = new float[h];
        for (int d = 0; d < h; d++) {
          h1[d] = x[t][d] + attn[d];
        }
        h1 = norm(h1, p + "ln1");
        float[] f = linear(h1, p + "ffn1", h, s.intermediate());
        for (int i = 0; i < f.length; i++) {
          f[i] = (float) (0.5 * f[i] * (1 + erf(f[i] / Math.sqrt(2))));
        }
        float[] f2 = linear(f, p + "ffn2", s.intermediate(), h);
        for (int d = 0; d < h; d++) {
          f2[d] += h1[d];
        }
        out[t] = norm(f2, p + "ln2");
      }
      return out;
    }

    private float[] linear(float[] in, String name, int rows, int cols) {
      float[] m = w.get(name + ".w");
      float[] out = w.get(name + ".b").clone();
      for (int c = 0; c < cols; c++) {
        double acc = 0;
        for (int r = 0; r < rows; r++) {
          acc += in[r] * m[r * cols + c];
        }
        out[c] += (float) acc;
      }
      return out;
    }

    private float[] norm(float[] x, String name) {
      double mean = 0;
      for (float f : x) {
        mean += f / x.length;
      }
      double var = 0;
      for (float f : x) {
        var += (f - mean) * (f - mean) / x.length;
      }
      float[] out = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        out[i] =
            (float) ((x[i] - mean) / Math.sqrt(var + 1e-12)) * w.get(name + ".scale")[i]
                + w.get(name + ".bias")[i];
      }
      return out;
    }

    static float[] unit(float[] v) {
      double n = 0;
      for (float f : v) {
        n += f * f;
      }
      float[] out = new float[v.length];
      for (int i = 0; i < v.length; i++) {
        out[i] = (float) (v[i] / Math.sqrt(n));
      }
      return out;
    }

    /** Abramowitz and Stegun 7.1.26 (|error| < 1.5e-7), enough at float precision. */
    private static double erf(double x) {
      double t = 1 / (1 + 0.3275911 * Math.abs(x));
      double y =
          1
              - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
                      + 0.254829592)
                  * t
                  * Math.exp(-x * x);
      return Math.signum(x) * y;
    }
  }
}
