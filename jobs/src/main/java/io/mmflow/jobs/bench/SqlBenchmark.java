package io.mmflow.jobs.bench;

import io.mmflow.core.config.ModelOptions;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.jobs.runtime.JobEnvironment;
import io.mmflow.model.onnx.ModelRegistry;
import io.mmflow.model.onnx.ModelSpec;
import io.mmflow.operators.infer.local.MicroBatchOperator;
import io.mmflow.operators.infer.local.TextClassification;
import io.mmflow.sql.model.TextModelPredictFunction;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;

/**
 * {@code mmflow bench sql}: the same text model through Flink SQL ({@code ML_PREDICT} with the
 * {@code mmflow} provider) and through the DataStream jobs' micro-batching operator, on the same
 * texts, batch size and parallelism (1), both doing the same work per text (the jobs' text stage:
 * normalization, language, model, calibrated result; PII off). Each side runs once to warm up, then
 * {@value OnnxBenchmark#ROUNDS} times alternated; rows per second from the first result to the
 * last, the median of each.
 */
public final class SqlBenchmark {
  /** In-flight rows ML_PREDICT keeps per batch, so that full batches can form. */
  static final int IN_FLIGHT_BATCHES = 4;

  /** What one run measured. */
  public record Figures(String model, int records, int batch, double sqlRps, double operatorRps) {
    public double onnxRatio() {
      return sqlRps / operatorRps;
    }

    public String resultLine() {
      return String.format(
          Locale.ROOT,
          "RESULT bench=sql model=%s onnx_ratio=%.3f sql_rps=%.1f operator_rps=%.1f",
          model,
          onnxRatio(),
          sqlRps,
          operatorRps);
    }
  }

  private SqlBenchmark() {}

  public static Figures run(
      Path corpus, Configuration base, String modelId, int records, int batch, PrintStream log)
      throws Exception {
    Configuration config = OnnxBenchmark.withModel(base, modelId, log);
    String registry = config.get(ModelOptions.REGISTRY);
    ModelSpec spec = ModelRegistry.load(registry).get(modelId);
    List<String> texts = OnnxBenchmark.texts(corpus, records);
    log.printf(
        "model %s@%s, %d texts, batch %d, parallelism 1%n",
        spec.id(), spec.version(), records, batch);
    sql(config, registry, modelId, texts, batch); // warm-ups
    operator(config, registry, modelId, texts, batch);
    double[] sqlRuns = new double[OnnxBenchmark.ROUNDS];
    double[] operatorRuns = new double[OnnxBenchmark.ROUNDS];
    for (int round = 0; round < OnnxBenchmark.ROUNDS; round++) {
      sqlRuns[round] = sql(config, registry, modelId, texts, batch);
      operatorRuns[round] = operator(config, registry, modelId, texts, batch);
    }
    double sqlRps = OnnxBenchmark.median(sqlRuns);
    double operatorRps = OnnxBenchmark.median(operatorRuns);
    log.printf(
        Locale.ROOT,
        "  ML_PREDICT, provider mmflow   %10.1f rows/s (median of %s)%n",
        sqlRps,
        OnnxBenchmark.runs(sqlRuns));
    log.printf(
        Locale.ROOT,
        "  DataStream operator           %10.1f rows/s (median of %s)%n",
        operatorRps,
        OnnxBenchmark.runs(operatorRuns));
    return new Figures(spec.id(), records, batch, sqlRps, operatorRps);
  }

  /** ML_PREDICT over the texts; rows per second at a sink that notes arrivals. */
  static double sql(
      Configuration config, String registry, String model, List<String> texts, int batch)
      throws Exception {
    StreamExecutionEnvironment env = environment(config);
    StreamTableEnvironment tables = StreamTableEnvironment.create(env);
    Configuration predict = new Configuration();
    predict.setString(
        "table.exec.async-ml-predict.max-concurrent-operations",
        Integer.toString(batch * IN_FLIGHT_BATCHES));
    predict.setString("table.exec.async-ml-predict.output-mode", "ALLOW_UNORDERED");
    tables.getConfig().addConfiguration(predict);
    List<String> shared = List.copyOf(texts);
    DataStream<String> source =
        env.fromSequence(0, texts.size() - 1)
            .map(i -> shared.get((int) (long) i))
            .returns(Types.STRING);
    tables.createTemporaryView(
        "texts", tables.fromDataStream(source, Schema.newBuilder().column("f0", "STRING").build()));
    tables.executeSql(
        "CREATE TEMPORARY MODEL bench_model INPUT (text STRING) OUTPUT (label STRING, status"
            + " STRING) WITH ('provider' = 'mmflow', 'model' = '"
            + model
            + "', 'registry' = '"
            + registry.replace("'", "''")
            + "', 'pii' = 'OFF', 'max-batch' = '"
            + batch
            + "', 'max-wait' = '50 ms')");
    Table predicted =
        tables.sqlQuery(
            "SELECT label, status FROM ML_PREDICT(TABLE texts, MODEL bench_model, DESCRIPTOR(f0))");
    Arrivals.reset();
    tables
        .toDataStream(predicted)
        .sinkTo(new Arrivals<Row>(r -> "ok".equals(r.getField(1))))
        .name("timing sink");
    env.execute("bench sql: ML_PREDICT");
    return checked(texts.size(), "ML_PREDICT");
  }

  /** The DataStream jobs' operator over the same texts, as the same text parts. */
  static double operator(
      Configuration config, String registry, String model, List<String> texts, int batch)
      throws Exception {
    StreamExecutionEnvironment env = environment(config);
    List<String> shared = List.copyOf(texts);
    env.fromSequence(0, texts.size() - 1)
        .map(i -> TextModelPredictFunction.textPart(shared.get((int) (long) i)))
        .returns(TypeInformation.of(ModalityResult.class))
        .transform(
            "sentiment",
            TypeInformation.of(ModalityResult.class),
            new MicroBatchOperator<>(
                new TextClassification(registry, model, ModelOptions.PiiMode.OFF), batch, 50))
        .sinkTo(Arrivals.results())
        .name("timing sink");
    Arrivals.reset();
    env.execute("bench sql: DataStream operator");
    return checked(texts.size(), "the operator");
  }

  private static StreamExecutionEnvironment environment(Configuration config) {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(
            1, JobEnvironment.localFlinkConfiguration(config));
    env.getConfig().enableObjectReuse();
    return env;
  }

  private static double checked(int records, String side) {
    double rps = Arrivals.rate(records);
    if (Arrivals.ok() != records) {
      throw new IllegalStateException(
          side + ": " + (records - Arrivals.ok()) + " of " + records + " rows were not ok");
    }
    return rps;
  }

  public static void print(Figures f, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "ML_PREDICT (mmflow) / DataStream operator   %.3f   (target >= 0.9)%n",
        f.onnxRatio());
    out.println(f.resultLine());
  }
}
