package io.mmflow.jobs.bench;

import io.mmflow.connectors.embedded.Latency;
import io.mmflow.connectors.embedded.LoopbackOpenAiServer;
import io.mmflow.core.config.ModelOptions;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.Task;
import io.mmflow.jobs.runtime.JobEnvironment;
import io.mmflow.model.onnx.ModelRegistry;
import io.mmflow.model.onnx.ModelSpec;
import io.mmflow.model.remote.ChatPrompts;
import io.mmflow.operators.infer.local.MicroBatchOperator;
import io.mmflow.operators.infer.local.TextClassification;
import io.mmflow.sql.model.LocalPredictFunction;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;

/**
 * {@code mmflow bench sql}: Flink SQL's {@code ML_PREDICT} with the {@code mmflow} provider against
 * the DataStream jobs on the same work. Local: a registry text model against the jobs'
 * micro-batching operator, on the same texts, batch size and parallelism (1), both doing the same
 * work per text (the jobs' text stage: normalization, language, model, calibrated result; PII off);
 * each side once to warm up, then {@value OnnxBenchmark#ROUNDS} times alternated, medians. Remote:
 * the remote providers on the loopback server against the jobs' remote stage and Flink's own
 * ML_PREDICT (see {@link #remote}). OCR: {@code MMF_RESULTS} over a {@code mmflow-media} table
 * against the documents job on the same pages ({@link SqlOcrBenchmark}). Rates from the first
 * result to the last.
 */
public final class SqlBenchmark {
  /** In-flight rows ML_PREDICT keeps per batch, so that full batches can form. */
  static final int IN_FLIGHT_BATCHES = 4;

  /** What the local side measured. */
  public record Local(String model, int records, int batch, double sqlRps, double operatorRps) {
    public double onnxRatio() {
      return sqlRps / operatorRps;
    }
  }

  /**
   * What the remote side measured: ML_PREDICT with the mmflow provider, the DataStream remote stage
   * and Flink's own ML_PREDICT (flink-model-openai) on the same loopback server, texts, latency and
   * calls in flight; NaN where a side could not be measured.
   */
  public record Remote(
      int capacity,
      long latencyMs,
      int calls,
      double sqlRps,
      double stageRps,
      double mlPredictRps) {
    public double boundRps() {
      return capacity * 1000.0 / latencyMs;
    }

    public double ratioMlPredict() {
      return sqlRps / mlPredictRps;
    }
  }

  /** All three sides. */
  public record Figures(Local local, Remote remote, SqlOcrBenchmark.Ocr ocr) {
    public String resultLine() {
      return String.format(
          Locale.ROOT,
          "RESULT bench=sql onnx_ratio=%.3f remote_ratio_mlpredict=%.2f ocr_ratio=%.3f"
              + " remote_ratio_bound=%.3f stage_ratio_bound=%.3f ocr_cer_sql=%.4f ocr_cer_job=%.4f"
              + " model=%s sql_rps=%.1f operator_rps=%.1f"
              + " remote_sql_rps=%.1f remote_stage_rps=%.1f mlpredict_rps=%.1f"
              + " ocr_sql_pages_per_s=%.2f ocr_job_pages_per_s=%.2f",
          local.onnxRatio(),
          remote.ratioMlPredict(),
          ocr.ratio(),
          remote.sqlRps() / remote.boundRps(),
          remote.stageRps() / remote.boundRps(),
          ocr.sqlCer(),
          ocr.jobCer(),
          local.model(),
          local.sqlRps(),
          local.operatorRps(),
          remote.sqlRps(),
          remote.stageRps(),
          remote.mlPredictRps(),
          ocr.sqlPagesPerSecond(),
          ocr.jobPagesPerSecond());
    }
  }

  private SqlBenchmark() {}

  /** The local side, the remote side, then OCR over the page images under {@code pages}. */
  public static Figures run(
      Path corpus,
      Configuration base,
      String modelId,
      int records,
      int batch,
      RemoteLoad load,
      SqlOcrBenchmark.OcrLoad pages,
      PrintStream log)
      throws Exception {
    Local local = local(corpus, base, modelId, records, batch, log);
    Remote remote = remote(base, load, log);
    return new Figures(local, remote, SqlOcrBenchmark.ocr(pages, base, log));
  }

  /**
   * The remote side's load: calls in flight, the loopback server's latency, calls per timed run,
   * and calls of Flink's own ML_PREDICT (it keeps few in flight, so a long run takes minutes).
   */
  public record RemoteLoad(int capacity, long latencyMs, int calls, int mlPredictCalls) {}

  /** ML_PREDICT on a registry model against the DataStream operator. */
  public static Local local(
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
    return new Local(spec.id(), records, batch, sqlRps, operatorRps);
  }

  /**
   * ML_PREDICT through the remote providers (the loopback server at a fixed latency) against the
   * DataStream remote stage and Flink's own ML_PREDICT on the same server, texts and capacity; each
   * mmflow side's fastest of {@value OnnxBenchmark#ROUNDS} alternated rounds after a warm-up as
   * long as a round, as bench remote times them.
   */
  public static Remote remote(Configuration base, RemoteLoad load, PrintStream log)
      throws Exception {
    try (LoopbackOpenAiServer server = LoopbackOpenAiServer.start()) {
      server.settings().latency(Latency.fixed(load.latencyMs())).logCapacity(16);
      Path providers = RemoteBenchmark.providersFile(server);
      Configuration config = new Configuration(base);
      config.setString("mmflow.remote.providers", providers.toString());
      config.setString("mmflow.remote.capacity", Integer.toString(load.capacity()));
      config.setString("mmflow.remote.text-task", "sentiment");
      log.printf(
          "loopback provider at %s, %d ms per call; %d calls, %d in flight%n",
          server.baseUrl(), load.latencyMs(), load.calls(), load.capacity());
      remoteSql(config, providers, load); // warm-ups
      RemoteBenchmark.once(config, load.calls());
      double sql = 0;
      double stage = 0;
      for (int round = 1; round <= OnnxBenchmark.ROUNDS; round++) {
        server.reset();
        sql = Math.max(sql, remoteSql(config, providers, load));
        server.reset();
        stage = Math.max(stage, RemoteBenchmark.once(config, load.calls()).rps());
      }
      log.printf(
          Locale.ROOT, "  ML_PREDICT, provider mmflow   %10.1f calls/s (fastest round)%n", sql);
      log.printf(
          Locale.ROOT, "  DataStream remote stage       %10.1f calls/s (fastest round)%n", stage);
      server.reset();
      int n = Math.max(1, Math.min(load.calls(), load.mlPredictCalls()));
      MlPredictBaseline.Outcome flink =
          MlPredictBaseline.measure(
              server.baseUrl(),
              RemoteBenchmark.MODEL,
              ChatPrompts.system(Task.SENTIMENT),
              LongStream.range(0, n).mapToObj(RemoteBenchmark::text).toList(),
              Math.min(2000, n),
              load.capacity(),
              log);
      if (flink.measured()) {
        log.printf(
            Locale.ROOT,
            "  ML_PREDICT, flink-model-openai %9.1f calls/s (%d rows)%n",
            flink.rps(),
            flink.rows());
      } else {
        log.println("  ML_PREDICT, flink-model-openai: not measured: " + flink.problem());
      }
      Files.deleteIfExists(providers);
      return new Remote(load.capacity(), load.latencyMs(), load.calls(), sql, stage, flink.rps());
    }
  }

  /** ML_PREDICT with the mmflow provider over the bench texts; calls per second at a sink. */
  static double remoteSql(Configuration config, Path providers, RemoteLoad load) throws Exception {
    return predict(
        config,
        env -> env.fromSequence(0, load.calls() - 1).map(RemoteBenchmark::text),
        load.calls(),
        load.capacity(),
        "'task' = 'sentiment', 'mmflow.remote.providers' = '"
            + providers.toString().replace("'", "''")
            + "', 'mmflow.remote.capacity' = '"
            + load.capacity()
            + "'",
        "remote ML_PREDICT");
  }

  /** ML_PREDICT over the texts; rows per second at a sink that notes arrivals. */
  static double sql(
      Configuration config, String registry, String model, List<String> texts, int batch)
      throws Exception {
    List<String> shared = List.copyOf(texts);
    return predict(
        config,
        env -> env.fromSequence(0, shared.size() - 1).map(i -> shared.get((int) (long) i)),
        shared.size(),
        batch * IN_FLIGHT_BATCHES,
        "'model' = '"
            + model
            + "', 'registry' = '"
            + registry.replace("'", "''")
            + "', 'pii' = 'OFF', 'max-batch' = '"
            + batch
            + "', 'max-wait' = '50 ms'",
        "ML_PREDICT");
  }

  /** The texts of a run, made in the job from an index so that the source costs next to nothing. */
  @FunctionalInterface
  interface Texts {
    SingleOutputStreamOperator<String> of(StreamExecutionEnvironment env);
  }

  /**
   * {@code ML_PREDICT} of a {@code mmflow} model with {@code options} over {@code count} texts,
   * {@code inFlight} rows in flight, unordered; rows per second from the first at the sink to the
   * last, all of which must be OK.
   */
  private static double predict(
      Configuration config, Texts texts, int count, int inFlight, String options, String side)
      throws Exception {
    StreamExecutionEnvironment env = environment(config);
    StreamTableEnvironment tables = StreamTableEnvironment.create(env);
    Configuration predict = new Configuration();
    predict.setString(
        "table.exec.async-ml-predict.max-concurrent-operations", Integer.toString(inFlight));
    predict.setString("table.exec.async-ml-predict.output-mode", "ALLOW_UNORDERED");
    predict.setString("table.exec.async-ml-predict.timeout", "10 min");
    tables.getConfig().addConfiguration(predict);
    DataStream<String> source = texts.of(env).returns(Types.STRING);
    tables.createTemporaryView(
        "texts", tables.fromDataStream(source, Schema.newBuilder().column("f0", "STRING").build()));
    tables.executeSql(
        "CREATE TEMPORARY MODEL bench_model INPUT (text STRING) OUTPUT (label STRING, status"
            + " STRING) WITH ('provider' = 'mmflow', "
            + options
            + ")");
    Table predicted =
        tables.sqlQuery(
            "SELECT label, status FROM ML_PREDICT(TABLE texts, MODEL bench_model, DESCRIPTOR(f0))");
    Arrivals.reset();
    tables
        .toDataStream(predicted)
        .sinkTo(new Arrivals<Row>(r -> "ok".equals(r.getField(1))))
        .name("timing sink");
    env.execute("bench sql: " + side);
    return checked(count, side);
  }

  /** The DataStream jobs' operator over the same texts, as the same text parts. */
  static double operator(
      Configuration config, String registry, String model, List<String> texts, int batch)
      throws Exception {
    StreamExecutionEnvironment env = environment(config);
    List<String> shared = List.copyOf(texts);
    env.fromSequence(0, texts.size() - 1)
        .map(i -> LocalPredictFunction.textPart(shared.get((int) (long) i)))
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
    Remote r = f.remote();
    out.printf(
        Locale.ROOT,
        "local model: ML_PREDICT (mmflow) / DataStream operator   %.3f   (target >= 0.9)%n",
        f.local().onnxRatio());
    out.printf(
        Locale.ROOT,
        "remote: ML_PREDICT (mmflow) / ML_PREDICT (openai)        %.2f    (target >= 10)%n",
        r.ratioMlPredict());
    out.printf(
        Locale.ROOT,
        "remote: share of capacity / latency, SQL %.3f, DataStream stage %.3f  (target: the same)%n",
        r.sqlRps() / r.boundRps(),
        r.stageRps() / r.boundRps());
    SqlOcrBenchmark.Ocr o = f.ocr();
    out.printf(
        Locale.ROOT,
        "OCR: MMF_RESULTS / documents job                          %.3f   (target >= 0.9);"
            + " CER %.4f / %.4f (target: the same)%n",
        o.ratio(),
        o.sqlCer(),
        o.jobCer());
    out.println(f.resultLine());
  }
}
