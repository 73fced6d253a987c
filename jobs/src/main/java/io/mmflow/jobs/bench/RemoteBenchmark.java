package io.mmflow.jobs.bench;

import io.mmflow.core.model.Modality;
import io.mmflow.core.model.Task;
import io.mmflow.jobs.runtime.JobEnvironment;
import io.mmflow.model.remote.loopback.Latency;
import io.mmflow.model.remote.loopback.LoopbackOpenAiServer;
import io.mmflow.operators.infer.remote.RemoteRequest;
import io.mmflow.operators.infer.remote.RemoteStages;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code mmflow bench remote}: calls per second through mmflow's remote stage (Flink async I/O, one
 * subtask, the given capacity) against the loopback OpenAI-compatible server at a fixed latency,
 * compared with the bound that capacity and latency allow ({@code capacity / latency}). Every text
 * is different, so the cache answers none. Timed from the first result to the last.
 *
 * <p>Flink's own ML_PREDICT with flink-model-openai is not measured yet: see docs/benchmarks.md.
 */
public final class RemoteBenchmark {

  /** What one run measured. */
  public record Figures(int capacity, long latencyMs, int calls, long ok, double achievedRps) {
    public double boundRps() {
      return capacity * 1000.0 / latencyMs;
    }

    public double ratioBound() {
      return achievedRps / boundRps();
    }

    public String resultLine() {
      return String.format(
          Locale.ROOT,
          "RESULT bench=remote capacity=%d latency_ms=%d achieved_rps=%.1f bound_rps=%.1f"
              + " ratio_bound=%.3f mlpredict_rps=nan ratio_mlpredict=nan",
          capacity,
          latencyMs,
          achievedRps,
          boundRps(),
          ratioBound());
    }
  }

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
                  model: gpt-4o-mini
                  tasks: [sentiment]
                  cost: {input-per-1k: 0.00015, output-per-1k: 0.0006}
          """
              .formatted(server.baseUrl()));
      Configuration config = new Configuration(base);
      config.setString("mmflow.remote.providers", providers.toString());
      config.setString("mmflow.remote.capacity", Integer.toString(capacity));
      config.setString("mmflow.remote.text-task", "sentiment");
      log.printf(
          "loopback provider at %s, %d ms per call; %d calls, capacity %d%n",
          server.baseUrl(), latencyMs, calls, capacity);
      once(config, Math.min(calls, 2000)); // warm-up: JIT, connections
      double rps = once(config, calls);
      Figures f = new Figures(capacity, latencyMs, calls, Arrivals.ok(), rps);
      log.printf(
          Locale.ROOT,
          "  mmflow remote stage       %10.1f calls/s (%d of %d ok)%n",
          rps,
          Arrivals.ok(),
          calls);
      log.printf(Locale.ROOT, "  bound capacity / latency  %10.1f calls/s%n", f.boundRps());
      Files.deleteIfExists(providers);
      return f;
    }
  }

  private static double once(Configuration config, int calls) throws Exception {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(
            1, JobEnvironment.flinkConfiguration(config));
    Arrivals.reset();
    RemoteStages.stage(
            env.fromSequence(0, calls - 1)
                .map(RemoteBenchmark::request)
                .returns(TypeInformation.of(RemoteRequest.class)),
            Task.SENTIMENT,
            config,
            "remote-bench")
        .sinkTo(new Arrivals())
        .name("timing sink");
    env.execute("bench remote");
    return Arrivals.rate(calls);
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
        "Review number " + i + ": the battery lasts and the screen is fine.",
        null,
        "text/plain");
  }

  public static void print(Figures f, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "achieved / bound       %.3f   (target >= 0.9 at capacity 200)%n",
        f.ratioBound());
    out.println(
        "ML_PREDICT (flink-model-openai): not measured in this build; see docs/benchmarks.md");
    out.println(f.resultLine());
  }
}
