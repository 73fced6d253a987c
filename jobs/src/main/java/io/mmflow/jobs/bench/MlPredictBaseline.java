package io.mmflow.jobs.bench;

import io.mmflow.jobs.runtime.CliProcess;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;

/**
 * The baseline of {@code bench remote}: Flink's own {@code ML_PREDICT} with the flink-model-openai
 * provider, on the same loopback server, texts, system prompt, parallelism (1) and number of calls
 * in flight ({@code table.exec.async-ml-predict.max-concurrent-operations}, unordered) as mmflow's
 * remote stage, timed the same way (first result to last, after a warm-up run).
 *
 * <p>It runs in a JVM of its own: the flink-model-openai jar bundles an older OpenAI SDK with its
 * Kotlin and OkHttp unshaded ({@code com.openai.*}), which clash with mmflow's SDK on one class
 * path. The child's class path is this JVM's without those libraries, plus the provider's jar that
 * the build copies to {@code jobs/target/mlpredict/} (see jobs/pom.xml).
 */
public final class MlPredictBaseline {
  /** Overrides where the flink-model-openai jar is. */
  public static final String JAR_PROPERTY = "mmflow.mlpredict.jar";

  /** The line the child prints with its figures. */
  private static final Pattern FIGURES =
      Pattern.compile("^MLPREDICT rows=(\\d+) rps=([0-9.]+)$", Pattern.MULTILINE);

  /** Libraries of this class path that the provider's jar brings in other versions. */
  private static final Pattern CLASHES =
      Pattern.compile(
          "/(openai-java[^/]*|okhttp[^/]*|okio[^/]*|kotlin-[^/]*|httpclient5[^/]*|httpcore5[^/]*)"
              + "\\.jar$");

  /** What the baseline measured, or why it could not. */
  public record Outcome(double rps, long rows, String problem) {
    static Outcome failed(String problem) {
      return new Outcome(Double.NaN, 0, problem);
    }

    public boolean measured() {
      return problem == null;
    }
  }

  private MlPredictBaseline() {}

  /**
   * Runs ML_PREDICT over {@code texts} against the chat completions endpoint under {@code baseUrl}
   * in a child JVM; its output goes to {@code log}.
   */
  public static Outcome measure(
      String baseUrl,
      String model,
      String systemPrompt,
      List<String> texts,
      int warmup,
      int capacity,
      PrintStream log)
      throws IOException, InterruptedException {
    Optional<Path> jar = providerJar();
    if (jar.isEmpty()) {
      return Outcome.failed(
          "flink-model-openai jar not found (build with `mvn package -pl jobs -am`, or set -D"
              + JAR_PROPERTY
              + ")");
    }
    Path dir = Files.createTempDirectory("mmflow-mlpredict");
    try {
      Path input = dir.resolve("texts.txt");
      Files.write(input, texts, StandardCharsets.UTF_8);
      Path prompt = dir.resolve("system-prompt.txt");
      Files.writeString(prompt, systemPrompt);
      List<String> cmd = CliProcess.java();
      cmd.add("-cp");
      cmd.add(childClassPath(jar.get()));
      cmd.add(MlPredictBaseline.class.getName());
      cmd.add(baseUrl + "/chat/completions");
      cmd.add(model);
      cmd.add(prompt.toString());
      cmd.add(input.toString());
      cmd.add(Integer.toString(warmup));
      cmd.add(Integer.toString(capacity));
      Path out = dir.resolve("child.log");
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(30, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        return Outcome.failed("ML_PREDICT run did not finish within 30 minutes");
      }
      String output = Files.readString(out);
      Matcher m = FIGURES.matcher(output);
      if (p.exitValue() != 0 || !m.find()) {
        log.println("  ML_PREDICT run failed; its last output:");
        List<String> lines = output.lines().toList();
        lines
            .subList(Math.max(0, lines.size() - 20), lines.size())
            .forEach(l -> log.println("    " + l));
        return Outcome.failed("ML_PREDICT run exited with " + p.exitValue());
      }
      return new Outcome(Double.parseDouble(m.group(2)), Long.parseLong(m.group(1)), null);
    } finally {
      io.mmflow.core.util.Folders.deleteQuietly(dir);
    }
  }

  /** The flink-model-openai jar: the system property, else beside this class's build output. */
  static Optional<Path> providerJar() {
    String given = System.getProperty(JAR_PROPERTY);
    if (given != null) {
      return Optional.of(Path.of(given)).filter(Files::isRegularFile);
    }
    try {
      Path classes =
          Path.of(
              MlPredictBaseline.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path dir = classes.resolveSibling("mlpredict");
      if (!Files.isDirectory(dir)) {
        return Optional.empty();
      }
      try (var files = Files.list(dir)) {
        return files
            .filter(f -> f.getFileName().toString().startsWith("flink-model-openai"))
            .findFirst();
      }
    } catch (URISyntaxException | IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** This JVM's class path without the libraries the provider's jar bundles, plus that jar. */
  static String childClassPath(Path providerJar) {
    List<String> entries = new ArrayList<>();
    // under surefire java.class.path is a manifest-only jar; the test class path is this property
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    for (String entry : classPath.split(File.pathSeparator)) {
      if (!entry.isEmpty() && !CLASHES.matcher(entry.replace('\\', '/')).find()) {
        entries.add(entry);
      }
    }
    entries.add(providerJar.toString());
    return String.join(File.pathSeparator, entries);
  }

  /**
   * The child: {@code ENDPOINT MODEL SYSTEM_PROMPT_FILE TEXTS_FILE WARMUP CAPACITY}. Prints {@code
   * MLPREDICT rows=N rps=X} for the timed run.
   */
  public static void main(String[] args) throws Exception {
    String endpoint = args[0];
    String model = args[1];
    String systemPrompt = Files.readString(Path.of(args[2]));
    List<String> texts = Files.readAllLines(Path.of(args[3]), StandardCharsets.UTF_8);
    int warmup = Integer.parseInt(args[4]);
    int capacity = Integer.parseInt(args[5]);
    once(endpoint, model, systemPrompt, texts.subList(0, Math.min(warmup, texts.size())), capacity);
    double rps = once(endpoint, model, systemPrompt, texts, capacity);
    System.out.printf(Locale.ROOT, "MLPREDICT rows=%d rps=%.1f%n", texts.size(), rps);
    System.out.flush();
    System.exit(0);
  }

  private static double once(
      String endpoint, String model, String systemPrompt, List<String> texts, int capacity)
      throws Exception {
    Configuration conf = new Configuration();
    conf.set(RestOptions.BIND_PORT, "0");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
    StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
    Configuration table = new Configuration();
    table.setString(
        "table.exec.async-ml-predict.max-concurrent-operations", Integer.toString(capacity));
    table.setString("table.exec.async-ml-predict.output-mode", "ALLOW_UNORDERED");
    table.setString("table.exec.async-ml-predict.timeout", "10 min");
    tEnv.getConfig().addConfiguration(table);
    tEnv.createTemporaryView("reviews", tEnv.fromDataStream(env.fromData(texts)).as("review"));
    tEnv.executeSql(
        "CREATE MODEL bench_model INPUT (review STRING) OUTPUT (answer STRING) WITH ("
            + "'provider' = 'openai', 'endpoint' = '"
            + sqlString(endpoint)
            + "', 'api-key' = 'loopback', 'model' = '"
            + sqlString(model)
            + "', 'system-prompt' = '"
            + sqlString(systemPrompt)
            + "')");
    Table answers =
        tEnv.sqlQuery(
            "SELECT answer FROM ML_PREDICT(TABLE reviews, MODEL bench_model, DESCRIPTOR(review))");
    Arrivals.reset();
    tEnv.toDataStream(answers).sinkTo(new Arrivals<Row>(row -> true)).name("timing sink");
    env.execute("bench remote: ML_PREDICT");
    return Arrivals.rate(texts.size());
  }

  private static String sqlString(String s) {
    return s.replace("'", "''");
  }
}
