package io.mmflow.jobs.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.mmflow.core.config.ModelOptions;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.Provenance;
import io.mmflow.core.model.Task;
import io.mmflow.core.model.Timing;
import io.mmflow.datasets.models.sentiment.SentimentCorpus;
import io.mmflow.datasets.models.sentiment.SentimentModelBuilder;
import io.mmflow.datasets.models.text.TinyBertBuilder;
import io.mmflow.jobs.runtime.JobEnvironment;
import io.mmflow.model.onnx.ModelRegistry;
import io.mmflow.model.onnx.ModelSpec;
import io.mmflow.model.onnx.OnnxEnvironment;
import io.mmflow.model.text.LengthBuckets;
import io.mmflow.model.text.TextTokenizer;
import io.mmflow.operators.infer.local.MicroBatchOperator;
import io.mmflow.operators.infer.local.TextClassification;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code mmflow bench onnx}: records per second of a text model through mmflow's micro-batching
 * Flink operator (MiniCluster, parallelism 1, batch 32) against a bare loop that tokenizes and
 * calls {@code OrtSession.run} on the same texts with the same batch size, and the operator at
 * batch 32 against batch 1. Each side runs once to warm up, then is timed.
 *
 * <p>The default model is {@code tiny-bert}, a 2-layer BERT-shaped encoder with random weights that
 * the bench builds ({@link TinyBertBuilder}): the compute of a transformer, as users' models have.
 * {@code --model sentiment-en} measures the shipped naive-Bayes model, whose graph is a table
 * look-up, so that its figures are those of tokenization and record handling.
 *
 * <p>The operator's time runs from the first result reaching the sink to the last, so job start and
 * stop are not counted; it includes what the job does per record beyond the bare loop (text
 * normalization, building result records, Flink's record passing).
 */
public final class OnnxBenchmark {

  /** What one run measured. */
  public record Figures(
      String model, int records, double operatorRps, double bareRps, double batch1Rps) {
    public double ratio() {
      return operatorRps / bareRps;
    }

    public double batchGain() {
      return operatorRps / batch1Rps;
    }

    public String resultLine() {
      return String.format(
          Locale.ROOT,
          "RESULT bench=onnx model=%s operator_rps=%.1f bare_rps=%.1f ratio=%.3f batch_gain=%.2f",
          model,
          operatorRps,
          bareRps,
          ratio(),
          batchGain());
    }
  }

  private OnnxBenchmark() {}

  public static Figures run(
      Path corpus, Configuration base, String modelId, int records, int batch, PrintStream log)
      throws Exception {
    Configuration config = withModel(base, modelId, log);
    ModelSpec spec = ModelRegistry.load(config.get(ModelOptions.REGISTRY)).get(modelId);
    List<String> texts = texts(corpus, records);
    log.printf("model %s@%s, %d texts, batch %d%n", spec.id(), spec.version(), records, batch);
    bare(spec, texts, batch, true); // warm-ups: JIT, ONNX Runtime's allocations
    operator(spec, config, texts, batch);
    // the two that make the ratio: alternated, ROUNDS each, the median of each (one run of a
    // fast model lasts about a second, where this machine's hiccups move a single figure by 10%)
    double[] bareRuns = new double[ROUNDS];
    double[] operatorRuns = new double[ROUNDS];
    for (int round = 0; round < ROUNDS; round++) {
      bareRuns[round] = bare(spec, texts, batch, true);
      operatorRuns[round] = operator(spec, config, texts, batch);
    }
    double bareRps = median(bareRuns);
    double operatorRps = median(operatorRuns);
    log.printf(
        Locale.ROOT,
        "  bare ONNX Runtime loop       %10.1f records/s (median of %s)%n",
        bareRps,
        runs(bareRuns));
    double plain = bare(spec, texts, batch, false);
    log.printf(
        Locale.ROOT,
        "  bare loop, padded to the longest of each batch (no length buckets) %10.1f records/s%n",
        plain);
    log.printf(
        Locale.ROOT,
        "  Flink operator, batch %-3d   %10.1f records/s (median of %s)%n",
        batch,
        operatorRps,
        runs(operatorRuns));
    double batch1 = operator(spec, config, texts, 1);
    log.printf(Locale.ROOT, "  Flink operator, batch 1     %10.1f records/s%n", batch1);
    double bare1 = bare(spec, texts, 1, false);
    log.printf(Locale.ROOT, "  bare loop, batch 1          %10.1f records/s%n", bare1);
    return new Figures(spec.id(), records, operatorRps, bareRps, batch1);
  }

  /** Rounds of the bare loop and of the operator at the batch size, alternated. */
  /**
   * {@code base} with a registry that has {@code modelId}: for {@code tiny-bert}, one the bench
   * builds now (a 2-layer BERT-shaped encoder with random weights on the sentiment tokenizer).
   */
  static Configuration withModel(Configuration base, String modelId, PrintStream log)
      throws IOException {
    Configuration config = new Configuration(base);
    if (modelId.equals(TinyBertBuilder.MODEL_ID)) {
      Path dir = Files.createTempDirectory("mmflow-bench-onnx");
      Path tokenizer =
          ModelRegistry.load(ModelRegistry.DEFAULT_LOCATION)
              .get(SentimentModelBuilder.MODEL_ID)
              .preprocessing()
              .tokenizer();
      TinyBertBuilder.Built built =
          TinyBertBuilder.build(dir, tokenizer, TinyBertBuilder.Shape.defaults());
      config.set(ModelOptions.REGISTRY, built.registry().toString());
      log.printf("built %s (%s) in %s%n", modelId, built.shape(), dir);
    }
    return config;
  }

  /** The texts of a run: the corpus's sentences, repeated to {@code records}. */
  static List<String> texts(Path corpus, int records) throws IOException {
    List<String> sentences = new ArrayList<>();
    for (SentimentCorpus.Example e : SentimentCorpus.read(corpus)) {
      sentences.add(e.text());
    }
    List<String> texts = new ArrayList<>(records);
    for (int i = 0; i < records; i++) {
      texts.add(sentences.get(i % sentences.size()));
    }
    return texts;
  }

  public static final int ROUNDS = 3;

  static double median(double[] runs) {
    double[] sorted = runs.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  static String runs(double[] runs) {
    return java.util.Arrays.stream(runs)
        .mapToObj(r -> String.format(Locale.ROOT, "%.0f", r))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /**
   * Tokenize, pad and run, batch by batch, with nothing else around it; with {@code buckets}, each
   * batch is first split by length as mmflow's {@code TextModel} does, so that the comparison with
   * the operator is of the same work.
   */
  static double bare(ModelSpec spec, List<String> texts, int batch, boolean buckets)
      throws Exception {
    LengthBuckets split = new LengthBuckets(32);
    OrtEnvironment env = OnnxEnvironment.get();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        TextTokenizer tokenizer =
            new TextTokenizer(spec.preprocessing().tokenizer(), spec.preprocessing().maxTokens())) {
      options.setIntraOpNumThreads(spec.threads());
      try (OrtSession session = env.createSession(spec.modelFile().toString(), options)) {
        long start = System.nanoTime();
        float sink = 0;
        for (int i = 0; i < texts.size(); i += batch) {
          TextTokenizer.Rows rows =
              tokenizer.encodeRows(texts.subList(i, Math.min(texts.size(), i + batch)));
          int[] all = new int[rows.size()];
          Arrays.setAll(all, k -> k);
          for (int[] group : buckets ? split.split(rows.lengths()) : List.of(all)) {
            long started = System.nanoTime();
            sink += run(env, session, spec, TextTokenizer.pad(rows, group));
            split.observe(
                (long) group.length * rows.ids()[group[group.length - 1]].length,
                System.nanoTime() - started);
          }
        }
        long elapsed = System.nanoTime() - start;
        if (Float.isNaN(sink)) {
          throw new IllegalStateException("NaN logits");
        }
        return texts.size() / (elapsed / 1e9);
      }
    }
  }

  private static float run(
      OrtEnvironment env, OrtSession session, ModelSpec spec, TextTokenizer.Batch b)
      throws OrtException {
    long[] shape = {b.rows(), b.length()};
    Map<String, OnnxTensor> inputs = new HashMap<>();
    inputs.put(spec.input("input_ids"), tensor(env, b.ids(), shape));
    inputs.put(spec.input("attention_mask"), tensor(env, b.attentionMask(), shape));
    if (spec.input("token_type_ids") != null) {
      inputs.put(spec.input("token_type_ids"), tensor(env, b.typeIds(), shape));
    }
    try (OrtSession.Result r = session.run(inputs, Set.of(spec.output("logits")))) {
      return ((OnnxTensor) r.get(0)).getFloatBuffer().get(0);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  private static OnnxTensor tensor(OrtEnvironment env, long[] values, long[] shape)
      throws OrtException {
    return OnnxTensor.createTensor(env, LongBuffer.wrap(values), shape);
  }

  static double operator(ModelSpec spec, Configuration config, List<String> texts, int batch)
      throws Exception {
    Configuration flink = JobEnvironment.localFlinkConfiguration(config);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, flink);
    env.getConfig().enableObjectReuse();
    Arrivals.reset();
    // records are made in the task from an index, so that the source costs next to nothing
    List<String> shared = List.copyOf(texts);
    env.fromSequence(0, texts.size() - 1)
        .map(i -> record(shared, i))
        .returns(TypeInformation.of(ModalityResult.class))
        .transform(
            "sentiment",
            TypeInformation.of(ModalityResult.class),
            new MicroBatchOperator<>(
                new TextClassification(config.get(ModelOptions.REGISTRY), spec.id()), batch, 50))
        .sinkTo(Arrivals.results())
        .name("timing sink");
    env.execute("bench onnx");
    return Arrivals.rate(texts.size());
  }

  private static ModalityResult record(List<String> texts, long i) {
    Instant now = Instant.now();
    return ModalityResult.builder()
        .itemId("bench-" + i)
        .modality(Modality.DOCUMENT)
        .task(Task.EXTRACTION)
        .text(texts.get((int) i))
        .language("en")
        .provenance(new Provenance("bench", "bench", "1", "bench:" + i, null, false))
        .timing(Timing.of(now, now, now))
        .build();
  }

  public static void print(Figures f, PrintStream out) {
    out.printf(Locale.ROOT, "operator / bare loop   %.3f   (target >= 0.9)%n", f.ratio());
    out.printf(Locale.ROOT, "batch 32 / batch 1     %.2f    (target >= 3)%n", f.batchGain());
    out.println(f.resultLine());
  }
}
