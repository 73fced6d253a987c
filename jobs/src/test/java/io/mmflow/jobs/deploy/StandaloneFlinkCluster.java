package io.mmflow.jobs.deploy;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A real standalone Flink session cluster for deployment tests: a JobManager and a TaskManager,
 * each in its own JVM, with only Flink's own jars (and their libraries) on their classpath, as a
 * Flink distribution's lib/ folder has. Jobs reach it as they would reach any cluster.
 */
final class StandaloneFlinkCluster implements AutoCloseable {
  /** Jars a job must bring itself: a cluster that had them would hide shading mistakes. */
  private static final Pattern NOT_ON_A_CLUSTER =
      Pattern.compile(
          "/(io/mmflow|org/apache/tika|org/apache/poi|org/apache/pdfbox|org/apache/iceberg"
              + "|org/postgresql|org/apache/flink/flink-connector-jdbc|org/apache/hadoop"
              + "|org/apache/opennlp|io/zonky|info/picocli|org/jline)/");

  private final Path home;
  private final int restPort;
  private final List<Process> processes = new ArrayList<>();
  private final String classpath;

  private StandaloneFlinkCluster(Path home, int restPort, String classpath) {
    this.home = home;
    this.restPort = restPort;
    this.classpath = classpath;
  }

  /** host:port of the JobManager's REST endpoint. */
  String restAddress() {
    return "localhost:" + restPort;
  }

  /** The body of a GET of the REST API's {@code path} (e.g. {@code /jobs/overview}). */
  String rest(String path) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection)
            URI.create("http://localhost:" + restPort + path).toURL().openConnection();
    c.setConnectTimeout(5000);
    c.setReadTimeout(5000);
    return new String(c.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Starts the cluster and waits until its TaskManager has registered. */
  static StandaloneFlinkCluster start(Path home, Path runnerClasspath) throws Exception {
    String cp =
        Arrays.stream(Files.readString(runnerClasspath).trim().split(File.pathSeparator))
            .filter(jar -> !NOT_ON_A_CLUSTER.matcher(jar.replace('\\', '/')).find())
            .collect(Collectors.joining(File.pathSeparator));
    int restPort = freePort();
    Path conf = Files.createDirectories(home.resolve("conf"));
    Files.writeString(
        conf.resolve("config.yaml"),
        String.join(
            "\n",
            "jobmanager.rpc.address: localhost",
            "jobmanager.bind-host: localhost",
            "jobmanager.rpc.port: " + freePort(),
            "jobmanager.memory.process.size: 1g",
            "taskmanager.bind-host: localhost",
            "taskmanager.host: localhost",
            "taskmanager.numberOfTaskSlots: 2",
            // what a distribution's start scripts would compute and pass to the TaskManager
            "taskmanager.cpu.cores: 2",
            "taskmanager.memory.task.heap.size: 512m",
            "taskmanager.memory.task.off-heap.size: 0m",
            "taskmanager.memory.framework.heap.size: 128m",
            "taskmanager.memory.framework.off-heap.size: 128m",
            "taskmanager.memory.network.min: 64m",
            "taskmanager.memory.network.max: 64m",
            "taskmanager.memory.managed.size: 128m",
            "taskmanager.memory.jvm-metaspace.size: 256m",
            "taskmanager.memory.jvm-overhead.min: 192m",
            "taskmanager.memory.jvm-overhead.max: 192m",
            "rest.address: localhost",
            "rest.bind-address: localhost",
            "rest.port: " + restPort,
            "parallelism.default: 2",
            "heartbeat.interval: 1000",
            ""));
    Files.writeString(
        conf.resolve("log4j.properties"),
        String.join(
            "\n",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.file.ref = file",
            "appender.file.type = File",
            "appender.file.name = file",
            "appender.file.fileName = ${sys:log.file}",
            "appender.file.layout.type = PatternLayout",
            "appender.file.layout.pattern = %d %-5p %c{1} - %m%n",
            ""));
    StandaloneFlinkCluster cluster = new StandaloneFlinkCluster(home, restPort, cp);
    try {
      cluster.launch(
          "jobmanager", "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint");
      cluster.launch("taskmanager", "org.apache.flink.runtime.taskexecutor.TaskManagerRunner");
      cluster.awaitTaskManager(Duration.ofSeconds(90));
      return cluster;
    } catch (Exception | AssertionError e) {
      cluster.close(); // never leave a JobManager or TaskManager running after a failed start
      throw e;
    }
  }

  private void launch(String role, String mainClass) throws IOException {
    Path log = home.resolve(role + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(
            javaBin(),
            "-Xmx768m",
            "-Dlog.file=" + log,
            "-Dlog4j.configurationFile=" + home.resolve("conf/log4j.properties"),
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "-cp",
            classpath,
            mainClass,
            "--configDir",
            home.resolve("conf").toString());
    pb.redirectErrorStream(true).redirectOutput(home.resolve(role + ".out").toFile());
    Process process = pb.start();
    processes.add(process);
    // a test JVM that dies must not leave cluster JVMs behind
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
  }

  /**
   * Runs {@code flink run} (Flink's own CLI front end) against this cluster, attached, and returns
   * its exit code; its output is in {@code flink-run.out}.
   */
  int flinkRun(Path jobJar, String mainClass, List<String> args, Duration timeout)
      throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            javaBin(),
            "-Xmx768m",
            "-Dlog.file=" + home.resolve("client.log"),
            "-Dlog4j.configurationFile=" + home.resolve("conf/log4j.properties"),
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "-cp",
            classpath,
            "org.apache.flink.client.cli.CliFrontend",
            "run",
            "-c",
            mainClass,
            jobJar.toString()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> env = pb.environment();
    env.put("FLINK_CONF_DIR", home.resolve("conf").toString());
    pb.redirectErrorStream(true).redirectOutput(home.resolve("flink-run.out").toFile());
    Process p = pb.start();
    if (!p.waitFor(timeout.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(
          "flink run did not finish in " + timeout + ":\n" + output("flink-run.out"));
    }
    return p.exitValue();
  }

  String output(String file) {
    try {
      return Files.readString(home.resolve(file));
    } catch (IOException e) {
      return "(no " + file + ")";
    }
  }

  private void awaitTaskManager(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new AssertionError(
              "a cluster process died:\n" + output("jobmanager.out") + output("taskmanager.out"));
        }
      }
      try {
        HttpURLConnection c =
            (HttpURLConnection)
                URI.create("http://localhost:" + restPort + "/taskmanagers")
                    .toURL()
                    .openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(1000);
        if (c.getResponseCode() == 200) {
          String body = new String(c.getInputStream().readAllBytes());
          if (body.contains("\"id\"")) {
            return;
          }
        }
      } catch (IOException notYet) {
        // the JobManager is still starting
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "no TaskManager registered in " + timeout + ":\n" + output("jobmanager.out"));
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
