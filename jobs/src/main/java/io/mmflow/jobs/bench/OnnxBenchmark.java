package io.mmflow.jobs.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.mmflow.core.config.ModelOptions;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.Provenance;
import io.mmflow.core.model.Task;
import io.mmflow.core.model.Timing;
import io.mmflow.datasets.models.sentiment.SentimentCorpus;
import io.mmflow.jobs.runtime.JobEnvironment;
import io.mmflow.model.onnx.ModelRegistry;
import io.mmflow.model.onnx.ModelSpec;
import io.mmflow.model.onnx.OnnxEnvironment;
import io.mmflow.model.text.TextTokenizer;
import io.mmflow.operators.infer.local.MicroBatchOperator;
import io.mmflow.operators.infer.local.TextClassification;
import java.io.PrintStream;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code mmflow bench onnx}: records per second of the sentiment model through mmflow's
 * micro-batching Flink operator (MiniCluster, parallelism 1, batch 32) against a bare loop that
 * tokenizes and calls {@code OrtSession.run} on the same texts with the same batch size, and the
 * operator at batch 32 against batch 1. Each side runs once to warm up, then is timed.
 *
 * <p>The operator's time runs from the first result reaching the sink to the last, so job start and
 * stop are not counted; it includes what the job does per record beyond the bare loop (text
 * normalization, building result records, Flink's record passing).
 */
public final class OnnxBenchmark {
  private static final AtomicLong FIRST = new AtomicLong();
  private static final AtomicLong LAST = new AtomicLong();
  private static final AtomicLong COUNT = new AtomicLong();

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
          "RESULT bench=onnx operator_rps=%.1f bare_rps=%.1f ratio=%.3f batch_gain=%.2f",
          operatorRps,
          bareRps,
          ratio(),
          batchGain());
    }
  }

  private OnnxBenchmark() {}

  public static Figures run(
      Path corpus, Configuration config, int records, int batch, PrintStream log) throws Exception {
    ModelSpec spec =
        ModelRegistry.load(config.get(ModelOptions.REGISTRY))
            .get(config.get(ModelOptions.SENTIMENT));
    List<String> sentences = new ArrayList<>();
    for (SentimentCorpus.Example e : SentimentCorpus.read(corpus)) {
      sentences.add(e.text());
    }
    List<String> texts = new ArrayList<>(records);
    for (int i = 0; i < records; i++) {
      texts.add(sentences.get(i % sentences.size()));
    }
    log.printf("model %s@%s, %d texts, batch %d%n", spec.id(), spec.version(), records, batch);
    bare(spec, texts, batch);
    double bareRps = bare(spec, texts, batch);
    log.printf(Locale.ROOT, "  bare ONNX Runtime loop       %10.1f records/s%n", bareRps);
    operator(spec, config, texts, batch);
    double operatorRps = operator(spec, config, texts, batch);
    log.printf(
        Locale.ROOT, "  Flink operator, batch %-3d   %10.1f records/s%n", batch, operatorRps);
    double batch1 = operator(spec, config, texts.subList(0, Math.max(2, records / 4)), 1);
    log.printf(Locale.ROOT, "  Flink operator, batch 1     %10.1f records/s%n", batch1);
    double bare1 = bare(spec, texts.subList(0, Math.max(2, records / 4)), 1);
    log.printf(Locale.ROOT, "  bare loop, batch 1          %10.1f records/s%n", bare1);
    return new Figures(spec.id(), records, operatorRps, bareRps, batch1);
  }

  /** Tokenize and run, batch by batch, with nothing else around it. */
  static double bare(ModelSpec spec, List<String> texts, int batch) throws Exception {
    OrtEnvironment env = OnnxEnvironment.get();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        TextTokenizer tokenizer =
            new TextTokenizer(spec.preprocessing().tokenizer(), spec.preprocessing().maxTokens())) {
      options.setIntraOpNumThreads(spec.threads());
      try (OrtSession session = env.createSession(spec.modelFile().toString(), options)) {
        long start = System.nanoTime();
        float sink = 0;
        for (int i = 0; i < texts.size(); i += batch) {
          TextTokenizer.Batch b =
              tokenizer.encode(texts.subList(i, Math.min(texts.size(), i + batch)));
          long[] shape = {b.rows(), b.length()};
          try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(b.ids()), shape);
              OnnxTensor mask =
                  OnnxTensor.createTensor(env, LongBuffer.wrap(b.attentionMask()), shape);
              OrtSession.Result r =
                  session.run(
                      Map.of(spec.input("input_ids"), ids, spec.input("attention_mask"), mask))) {
            sink += ((OnnxTensor) r.get(0)).getFloatBuffer().get(0);
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

  static double operator(ModelSpec spec, Configuration config, List<String> texts, int batch)
      throws Exception {
    Configuration flink = JobEnvironment.flinkConfiguration(config);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, flink);
    env.getConfig().enableObjectReuse();
    FIRST.set(0);
    COUNT.set(0);
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
        .sinkTo(new TimingSink())
        .name("timing sink");
    env.execute("bench onnx");
    if (COUNT.get() != texts.size()) {
      throw new IllegalStateException(COUNT.get() + " results for " + texts.size() + " texts");
    }
    return (texts.size() - 1) / ((LAST.get() - FIRST.get()) / 1e9);
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

  /** Notes when the first and last result arrive (MiniCluster runs in this JVM). */
  private static final class TimingSink implements Sink<ModalityResult> {
    @Override
    public SinkWriter<ModalityResult> createWriter(WriterInitContext context) {
      return new SinkWriter<>() {
        @Override
        public void write(ModalityResult element, Context context) {
          long t = System.nanoTime();
          FIRST.compareAndSet(0, t);
          LAST.set(t);
          COUNT.incrementAndGet();
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }

  public static void print(Figures f, PrintStream out) {
    out.printf(Locale.ROOT, "operator / bare loop   %.3f   (target >= 0.9)%n", f.ratio());
    out.printf(Locale.ROOT, "batch 32 / batch 1     %.2f    (target >= 3)%n", f.batchGain());
    out.println(f.resultLine());
  }
}
