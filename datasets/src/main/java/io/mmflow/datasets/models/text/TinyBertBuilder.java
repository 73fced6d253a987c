package io.mmflow.datasets.models.text;

import io.mmflow.datasets.models.onnx.OnnxModelWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Builds a small model with the shape of a BERT sequence classifier export (as HuggingFace's {@code
 * optimum} writes them): inputs {@code input_ids}, {@code attention_mask}, {@code token_type_ids}
 * (int64 [batch, sequence]) → word + position + token-type embeddings, layer norm → encoder layers
 * (multi-head self-attention with the padding mask, residual and layer norm; GELU feed-forward,
 * residual and layer norm) → {@code last_hidden_state} and, from the first token through a tanh
 * pooler and a linear classifier, {@code logits} [batch, 2].
 *
 * <p>The weights are random (normal, σ 0.02 as BERT initialises them, from a fixed seed): the model
 * shows that mmflow's loader runs a BERT-shaped graph with its tokenizer.json, and gives {@code
 * bench onnx} a model with a transformer's compute. It predicts nothing useful. The same file is
 * declared twice in the written registry: {@code tiny-bert} (classification, softmax) and {@code
 * tiny-bert-embedding} (mean-pooled {@code last_hidden_state}).
 */
public final class TinyBertBuilder {
  public static final String MODEL_ID = "tiny-bert";
  public static final String EMBEDDING_ID = "tiny-bert-embedding";

  /**
   * The architecture.
   *
   * @param hidden width of the hidden states
   * @param heads attention heads (divides {@code hidden})
   * @param intermediate width of the feed-forward layer
   * @param layers encoder layers
   * @param maxPositions longest sequence (position embeddings; also the registry's max-tokens)
   * @param seed the weights' seed
   */
  public record Shape(
      int hidden, int heads, int intermediate, int layers, int maxPositions, long seed) {
    public Shape {
      if (hidden % heads != 0) {
        throw new IllegalArgumentException("hidden must be a multiple of heads");
      }
    }

    public static Shape defaults() {
      return new Shape(128, 2, 512, 2, 128, 7);
    }

    public int headSize() {
      return hidden / heads;
    }
  }

  /** What was written: the registry file and every weight by its initializer name. */
  public record Built(Path registry, Shape shape, int vocab, Map<String, float[]> weights) {}

  private TinyBertBuilder() {}

  /**
   * Writes {@code models.yaml}, {@code tiny-bert/model.onnx} and {@code tiny-bert/tokenizer.json}
   * (a copy of {@code tokenizerJson}, whose vocabulary sizes the embeddings) under {@code dir}.
   */
  public static Built build(Path dir, Path tokenizerJson, Shape shape) throws IOException {
    int v = WordPieceTokenizerJson.vocabularySize(tokenizerJson);
    Path modelDir = Files.createDirectories(dir.resolve(MODEL_ID));
    Files.copy(
        tokenizerJson, modelDir.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
    Map<String, float[]> weights = weights(shape, v);
    graph(shape, v, weights).write(modelDir.resolve("model.onnx"));
    Path registry = dir.resolve("models.yaml");
    Files.writeString(registry, registryYaml(shape), StandardCharsets.UTF_8);
    return new Built(registry, shape, v, weights);
  }

  /** Every initializer, in a fixed order, from the seed. */
  static Map<String, float[]> weights(Shape s, int vocab) {
    Random random = new Random(s.seed());
    Map<String, float[]> w = new LinkedHashMap<>();
    int h = s.hidden();
    w.put("emb.word", normal(random, vocab * h));
    w.put("emb.position", normal(random, s.maxPositions() * h));
    w.put("emb.type", normal(random, 2 * h));
    w.put("emb.ln.scale", ones(h));
    w.put("emb.ln.bias", new float[h]);
    for (int l = 0; l < s.layers(); l++) {
      String p = "l" + l + ".";
      for (String m : List.of("q", "k", "v", "o")) {
        w.put(p + m + ".w", normal(random, h * h));
        w.put(p + m + ".b", normal(random, h));
      }
      w.put(p + "ln1.scale", ones(h));
      w.put(p + "ln1.bias", new float[h]);
      w.put(p + "ffn1.w", normal(random, h * s.intermediate()));
      w.put(p + "ffn1.b", normal(random, s.intermediate()));
      w.put(p + "ffn2.w", normal(random, s.intermediate() * h));
      w.put(p + "ffn2.b", normal(random, h));
      w.put(p + "ln2.scale", ones(h));
      w.put(p + "ln2.bias", new float[h]);
    }
    w.put("pooler.w", normal(random, h * h));
    w.put("pooler.b", normal(random, h));
    w.put("classifier.w", normal(random, h * 2));
    w.put("classifier.b", normal(random, 2));
    return w;
  }

  private static OnnxModelWriter graph(Shape s, int vocab, Map<String, float[]> w) {
    int h = s.hidden();
    OnnxModelWriter g = new OnnxModelWriter("tiny_bert");
    g.input("input_ids", OnnxModelWriter.INT64, "batch", "sequence")
        .input("attention_mask", OnnxModelWriter.INT64, "batch", "sequence")
        .input("token_type_ids", OnnxModelWriter.INT64, "batch", "sequence")
        .output("logits", OnnxModelWriter.FLOAT, "batch", 2L)
        .output("last_hidden_state", OnnxModelWriter.FLOAT, "batch", "sequence", (long) h)
        .metadata("mmflow.builder", TinyBertBuilder.class.getName())
        .metadata("mmflow.weights", "random, seed " + s.seed() + "; not a trained model");
    long[] matrixShape = {h, h};
    for (Map.Entry<String, float[]> e : w.entrySet()) {
      g.initializer(e.getKey(), e.getValue(), dims(e.getKey(), s, vocab, matrixShape));
    }
    g.initializer("c.zero", new long[] {0})
        .initializer("c.one", new long[] {1})
        .initializer("c.first", new long[] {0})
        .initializer("c.mask_axes", new long[] {1, 2}, 2)
        .initializer("c.heads_shape", new long[] {0, 0, s.heads(), s.headSize()}, 4)
        .initializer("c.hidden_shape", new long[] {0, 0, h}, 3)
        .initializer("c.f_one", new float[] {1f})
        .initializer("c.f_half", new float[] {0.5f})
        .initializer("c.f_sqrt2", new float[] {(float) Math.sqrt(2)})
        .initializer("c.f_mask", new float[] {-10000f})
        .initializer("c.f_scale", new float[] {(float) (1 / Math.sqrt(s.headSize()))});

    // embeddings: word + position (0 .. sequence-1) + token type, then layer norm
    g.node("Gather", List.of("emb.word", "input_ids"), "word");
    g.node("Shape", List.of("input_ids"), "ids_shape");
    g.node("Gather", List.of("ids_shape", "c.one"), "seq_len", Map.of("axis", 0L));
    g.node("Range", List.of("c.zero", "seq_len", "c.one"), "positions");
    g.node("Gather", List.of("emb.position", "positions"), "position");
    g.node("Gather", List.of("emb.type", "token_type_ids"), "type");
    g.node("Add", List.of("word", "position"), "emb.sum0");
    g.node("Add", List.of("emb.sum0", "type"), "emb.sum");
    layerNorm(g, "emb.sum", "emb.ln", "x0");

    // the padding mask as an additive bias [batch, 1, 1, sequence]: 0 where kept, -10000 where not
    g.node("Cast", List.of("attention_mask"), "mask_f", Map.of("to", (long) OnnxModelWriter.FLOAT));
    g.node("Sub", List.of("c.f_one", "mask_f"), "mask_inv");
    g.node("Mul", List.of("mask_inv", "c.f_mask"), "mask_bias0");
    g.node("Unsqueeze", List.of("mask_bias0", "c.mask_axes"), "mask_bias");

    String x = "x0";
    for (int l = 0; l < s.layers(); l++) {
      x = encoderLayer(g, "l" + l + ".", x);
    }
    g.node("Identity", List.of(x), "last_hidden_state");

    // pooler on the first (scalar index: the sequence axis goes) ([CLS]) token, then the classifier
    g.node("Gather", List.of(x, "c.first"), "cls", Map.of("axis", 1L));
    linear(g, "cls", "pooler", "pooled0");
    g.node("Tanh", List.of("pooled0"), "pooled");
    linear(g, "pooled", "classifier", "logits");
    return g;
  }

  private static String encoderLayer(OnnxModelWriter g, String p, String x) {
    for (String m : List.of("q", "k", "v")) {
      linear(g, x, p + m, p + m);
      g.node("Reshape", List.of(p + m, "c.heads_shape"), p + m + ".heads");
    }
    // [batch, heads, sequence, head size]; keys transposed to [batch, heads, head size, sequence]
    g.node("Transpose", List.of(p + "q.heads"), p + "qt", Map.of("perm", new long[] {0, 2, 1, 3}));
    g.node("Transpose", List.of(p + "k.heads"), p + "kt", Map.of("perm", new long[] {0, 2, 3, 1}));
    g.node("Transpose", List.of(p + "v.heads"), p + "vt", Map.of("perm", new long[] {0, 2, 1, 3}));
    g.node("MatMul", List.of(p + "qt", p + "kt"), p + "scores0");
    g.node("Mul", List.of(p + "scores0", "c.f_scale"), p + "scores1");
    g.node("Add", List.of(p + "scores1", "mask_bias"), p + "scores");
    g.node("Softmax", List.of(p + "scores"), p + "attn", Map.of("axis", -1L));
    g.node("MatMul", List.of(p + "attn", p + "vt"), p + "ctx0");
    g.node("Transpose", List.of(p + "ctx0"), p + "ctx1", Map.of("perm", new long[] {0, 2, 1, 3}));
    g.node("Reshape", List.of(p + "ctx1", "c.hidden_shape"), p + "ctx");
    linear(g, p + "ctx", p + "o", p + "attn_out");
    g.node("Add", List.of(x, p + "attn_out"), p + "res1");
    layerNorm(g, p + "res1", p + "ln1", p + "h1");
    // feed-forward with the exact GELU: 0.5 x (1 + erf(x / sqrt 2))
    linear(g, p + "h1", p + "ffn1", p + "f0");
    g.node("Div", List.of(p + "f0", "c.f_sqrt2"), p + "f1");
    g.node("Erf", List.of(p + "f1"), p + "f2");
    g.node("Add", List.of(p + "f2", "c.f_one"), p + "f3");
    g.node("Mul", List.of(p + "f0", p + "f3"), p + "f4");
    g.node("Mul", List.of(p + "f4", "c.f_half"), p + "gelu");
    linear(g, p + "gelu", p + "ffn2", p + "f5");
    g.node("Add", List.of(p + "h1", p + "f5"), p + "res2");
    layerNorm(g, p + "res2", p + "ln2", p + "out");
    return p + "out";
  }

  private static void linear(OnnxModelWriter g, String in, String weights, String out) {
    g.node("MatMul", List.of(in, weights + ".w"), out + ".mm");
    g.node("Add", List.of(out + ".mm", weights + ".b"), out);
  }

  private static void layerNorm(OnnxModelWriter g, String in, String weights, String out) {
    g.node(
        "LayerNormalization",
        List.of(in, weights + ".scale", weights + ".bias"),
        out,
        Map.of("axis", -1L, "epsilon", 1e-12f));
  }

  private static long[] dims(String name, Shape s, int vocab, long[] square) {
    int h = s.hidden();
    return switch (name) {
      case "emb.word" -> new long[] {vocab, h};
      case "emb.position" -> new long[] {s.maxPositions(), h};
      case "emb.type" -> new long[] {2, h};
      case "pooler.w" -> square;
      case "classifier.w" -> new long[] {h, 2};
      case "classifier.b" -> new long[] {2};
      default -> {
        if (name.endsWith("ffn1.w")) {
          yield new long[] {h, s.intermediate()};
        } else if (name.endsWith("ffn1.b")) {
          yield new long[] {s.intermediate()};
        } else if (name.endsWith("ffn2.w")) {
          yield new long[] {s.intermediate(), h};
        } else if (name.endsWith(".w")) {
          yield square;
        }
        yield new long[] {h};
      }
    };
  }

  private static String registryYaml(Shape s) {
    String common =
        """
            modality: text
            runtime: onnx
            path: %1$s/model.onnx
            inputs: {input_ids: input_ids, attention_mask: attention_mask, token_type_ids: token_type_ids}
            preprocessing: {tokenizer: %1$s/tokenizer.json, max-tokens: %2$d}
            execution-provider: cpu
            threads: 1
            batch: {max-size: 32, max-wait: 20ms}
        """
            .formatted(MODEL_ID, s.maxPositions());
    return String.format(
        Locale.ROOT,
        """
        # Built by %s: BERT-shaped, %d layers, hidden %d, %d heads; RANDOM weights (seed %d).
        models:
          - id: %s
            version: random-%d
            task: classification
        %s    outputs: {logits: logits}
            labels: [negative, positive]
            calibration: {method: softmax}
          - id: %s
            version: random-%d
            task: embedding
        %s    outputs: {last_hidden_state: last_hidden_state}
        """,
        TinyBertBuilder.class.getSimpleName(),
        s.layers(),
        s.hidden(),
        s.heads(),
        s.seed(),
        MODEL_ID,
        s.seed(),
        common,
        EMBEDDING_ID,
        s.seed(),
        common);
  }

  private static float[] normal(Random random, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextGaussian() * 0.02);
    }
    return v;
  }

  private static float[] ones(int n) {
    float[] v = new float[n];
    Arrays.fill(v, 1f);
    return v;
  }
}
