package io.mmflow.jobs.bench;

import io.mmflow.core.model.Modality;
import io.mmflow.core.model.Task;
import io.mmflow.jobs.runtime.JobEnvironment;
import io.mmflow.model.remote.ChatPrompts;
import io.mmflow.model.remote.loopback.Latency;
import io.mmflow.model.remote.loopback.LoopbackOpenAiServer;
import io.mmflow.operators.infer.remote.RemoteRequest;
import io.mmflow.operators.infer.remote.RemoteStages;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code mmflow bench remote}: calls per second through mmflow's remote stage (Flink async I/O, one
 * subtask, the given capacity) against the loopback OpenAI-compatible server at a fixed latency,
 * compared with the bound that capacity and latency allow ({@code capacity / latency}). Every text
 * is different, so the cache answers none. Timed from the first result to the last. In the same
 * run, on the same server, texts and capacity: Flink's own {@code ML_PREDICT} with the
 * flink-model-openai provider ({@link MlPredictBaseline}, in a JVM of its own).
 */
public final class RemoteBenchmark {

  /** What one run measured. */
  public record Figures(
      int capacity, long latencyMs, int calls, long ok, double achievedRps, double mlPredictRps) {
    public double boundRps() {
      return capacity * 1000.0 / latencyMs;
    }

    public double ratioBound() {
      return achievedRps / boundRps();
    }

    /** mmflow's calls per second over ML_PREDICT's (NaN when ML_PREDICT was not measured). */
    public double ratioMlPredict() {
      return achievedRps / mlPredictRps;
    }

    public String resultLine() {
      return String.format(
          Locale.ROOT,
          "RESULT bench=remote capacity=%d latency_ms=%d achieved_rps=%.1f bound_rps=%.1f"
              + " ratio_bound=%.3f mlpredict_rps=%.1f ratio_mlpredict=%.3f",
          capacity,
          latencyMs,
          achievedRps,
          boundRps(),
          ratioBound(),
          mlPredictRps,
          ratioMlPredict());
    }
  }

  private static final String MODEL = "gpt-4o-mini";

  private RemoteBenchmark() {}

  public static Figures run(
      Configuration base, int capacity, long latencyMs, int calls, PrintStream log)
      throws Exception {
    try (LoopbackOpenAiServer server = LoopbackOpenAiServer.start()) {
      server.settings().latency(Latency.fixed(latencyMs)).logCapacity(16);
      Path providers = Files.createTempFile("mmflow-bench-providers", ".yaml");
      Files.writeString(
          providers,
          """
          providers:
            - name: loop
              base-url: %s
              timeout: 30s
              models:
                - id: bench
                  model: %s
                  tasks: [sentiment]
                  cost: {input-per-1k: 0.00015, output-per-1k: 0.0006}
          """
              .formatted(server.baseUrl(), MODEL));
      Configuration config = new Configuration(base);
      config.setString("mmflow.remote.providers", providers.toString());
      config.setString("mmflow.remote.capacity", Integer.toString(capacity));
      config.setString("mmflow.remote.text-task", "sentiment");
      log.printf(
          "loopback provider at %s, %d ms per call; %d calls, capacity %d%n",
          server.baseUrl(), latencyMs, calls, capacity);
      int warmup = Math.min(calls, 2000);
      once(config, warmup); // warm-up: JIT, connections
      server.reset();
      double rps = once(config, calls);
      long ok = Arrivals.ok();
      log.printf(
          Locale.ROOT,
          "  mmflow remote stage       %10.1f calls/s (%d of %d ok; at most %d calls at once)%n",
          rps,
          ok,
          calls,
          server.peakInFlight());
      server.reset();
      List<String> texts = LongStream.range(0, calls).mapToObj(RemoteBenchmark::text).toList();
      MlPredictBaseline.Outcome baseline =
          MlPredictBaseline.measure(
              server.baseUrl(),
              MODEL,
              ChatPrompts.system(Task.SENTIMENT),
              texts,
              warmup,
              capacity,
              log);
      if (baseline.measured()) {
        log.printf(
            Locale.ROOT,
            "  Flink ML_PREDICT          %10.1f calls/s (flink-model-openai, %d rows; at most %d"
                + " calls at once)%n",
            baseline.rps(),
            baseline.rows(),
            server.peakInFlight());
      } else {
        log.println("  Flink ML_PREDICT: not measured: " + baseline.problem());
      }
      Figures f = new Figures(capacity, latencyMs, calls, ok, rps, baseline.rps());
      log.printf(Locale.ROOT, "  bound capacity / latency  %10.1f calls/s%n", f.boundRps());
      Files.deleteIfExists(providers);
      return f;
    }
  }

  private static double once(Configuration config, int calls) throws Exception {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(
            1, JobEnvironment.localFlinkConfiguration(config));
    Arrivals.reset();
    RemoteStages.stage(
            env.fromSequence(0, calls - 1)
                .map(RemoteBenchmark::request)
                .returns(TypeInformation.of(RemoteRequest.class)),
            Task.SENTIMENT,
            config,
            "remote-bench")
        .sinkTo(Arrivals.results())
        .name("timing sink");
    env.execute("bench remote");
    return Arrivals.rate(calls);
  }

  /** The i-th text: all different, so no cache answers any. */
  static String text(long i) {
    return "Review number " + i + ": the battery lasts and the screen is fine.";
  }

  private static RemoteRequest request(long i) {
    String id = "bench-" + i;
    return new RemoteRequest(
        id,
        "0",
        id,
        "bench:" + i,
        null,
        Instant.EPOCH,
        Modality.TEXT,
        Task.SENTIMENT,
        text(i),
        null,
        "text/plain");
  }

  public static void print(Figures f, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "achieved / bound       %.3f   (target >= 0.9 at capacity 200)%n",
        f.ratioBound());
    out.printf(Locale.ROOT, "mmflow / ML_PREDICT    %.3f   (target >= 1.0)%n", f.ratioMlPredict());
    out.println(f.resultLine());
  }
}
