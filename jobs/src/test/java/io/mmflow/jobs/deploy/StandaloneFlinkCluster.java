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
 * Flink distribution's lib/ folder has. Jobs reach it as they would reach any cluster: {@code flink
 * run} (attached or detached, from a savepoint), the REST API (stop with a savepoint). Checkpoints
 * and savepoints go to files under its folder. A TaskManager can be killed with SIGKILL and another
 * started, as a node failing and its replacement.
 */
public final class StandaloneFlinkCluster implements AutoCloseable {
  /** Jars a job must bring itself: a cluster that had them would hide shading mistakes. */
  private static final Pattern NOT_ON_A_CLUSTER =
      Pattern.compile(
          "/(io/mmflow|org/apache/tika|org/apache/poi|org/apache/pdfbox|org/apache/iceberg"
              + "|org/postgresql|org/apache/flink/flink-connector-jdbc|org/apache/hadoop"
              + "|org/apache/opennlp|io/zonky|info/picocli|org/jline"
              // connectors are not in a distribution's lib/: a job jar brings them
              + "|org/apache/kafka|org/apache/flink/flink-connector-kafka)/");

  private final Path home;
  private final int restPort;
  private final List<Process> processes = new ArrayList<>();
  private final List<Process> taskManagers = new ArrayList<>();
  private final String classpath;

  private StandaloneFlinkCluster(Path home, int restPort, String classpath) {
    this.home = home;
    this.restPort = restPort;
    this.classpath = classpath;
  }

  /** host:port of the JobManager's REST endpoint. */
  public String restAddress() {
    return "localhost:" + restPort;
  }

  /** The body of a GET of the REST API's {@code path} (e.g. {@code /jobs/overview}). */
  public String rest(String path) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection)
            URI.create("http://localhost:" + restPort + path).toURL().openConnection();
    c.setConnectTimeout(5000);
    c.setReadTimeout(5000);
    return new String(c.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Starts the cluster and waits until its TaskManager has registered. */
  public static StandaloneFlinkCluster start(Path home, Path runnerClasspath) throws Exception {
    return start(home, runnerClasspath, false);
  }

  /**
   * Starts the cluster, with {@code highAvailability} a ZooKeeper server first (Flink's own
   * launcher, {@code FlinkZooKeeperQuorumPeer}, as its {@code start-zookeeper-quorum.sh} runs it)
   * and the JobManager's high availability on it, its data under {@code home/ha}: a JobManager
   * killed and started again takes its running jobs back from their last checkpoints.
   */
  public static StandaloneFlinkCluster start(
      Path home, Path runnerClasspath, boolean highAvailability) throws Exception {
    String cp =
        Arrays.stream(Files.readString(runnerClasspath).trim().split(File.pathSeparator))
            .filter(jar -> !NOT_ON_A_CLUSTER.matcher(jar.replace('\\', '/')).find())
            .collect(Collectors.joining(File.pathSeparator));
    int restPort = freePort();
    int zkPort = freePort();
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
            // a TaskManager that stops answering is given up after 10 s (Flink's default: 50 s)
            "heartbeat.timeout: 10000",
            "execution.checkpointing.dir: " + home.resolve("checkpoints").toUri(),
            "execution.checkpointing.savepoint-dir: " + home.resolve("savepoints").toUri(),
            highAvailability ? "high-availability.type: zookeeper" : "",
            highAvailability ? "high-availability.zookeeper.quorum: localhost:" + zkPort : "",
            highAvailability ? "high-availability.storageDir: " + home.resolve("ha").toUri() : "",
            highAvailability ? "high-availability.cluster-id: /mmflow-test" : "",
            ""));
    if (highAvailability) {
      Files.writeString(
          conf.resolve("zoo.cfg"),
          String.join(
              "\n",
              "tickTime=500",
              "initLimit=10",
              "syncLimit=5",
              "dataDir=" + Files.createDirectories(home.resolve("zookeeper")),
              "clientPort=" + zkPort,
              ""));
    }
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
      if (highAvailability) {
        cluster.launch(
            "zookeeper",
            "org.apache.flink.runtime.zookeeper.FlinkZooKeeperQuorumPeer",
            "--zkConfigFile",
            conf.resolve("zoo.cfg").toString(),
            "--peerId",
            "1");
      }
      cluster.startJobManager();
      cluster.startTaskManager();
      cluster.awaitTaskManager(Duration.ofSeconds(90));
      return cluster;
    } catch (Exception | AssertionError e) {
      cluster.close(); // never leave a JobManager or TaskManager running after a failed start
      throw e;
    }
  }

  private Process jobManager;
  private int jobManagers;

  private void startJobManager() throws IOException {
    jobManager =
        launch(
            jobManagers++ == 0 ? "jobmanager" : "jobmanager-" + jobManagers,
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint");
  }

  /**
   * Kills the JobManager with SIGKILL and starts a new one on the same ports: with high
   * availability it takes the running jobs back; without, they are lost.
   */
  public void restartJobManager() throws Exception {
    jobManager.destroyForcibly();
    jobManager.waitFor();
    startJobManager();
  }

  /** Starts another TaskManager process (log {@code taskmanager-N.log}). */
  public void startTaskManager() throws IOException {
    String role = taskManagers.isEmpty() ? "taskmanager" : "taskmanager-" + taskManagers.size();
    taskManagers.add(launch(role, "org.apache.flink.runtime.taskexecutor.TaskManagerRunner"));
  }

  /** Kills the newest running TaskManager with SIGKILL, as a node lost, and waits for its end. */
  public void killTaskManager() throws InterruptedException {
    for (int i = taskManagers.size() - 1; i >= 0; i--) {
      Process p = taskManagers.get(i);
      if (p.isAlive()) {
        p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no goodbye to the JobManager
        p.waitFor();
        return;
      }
    }
    throw new IllegalStateException("no TaskManager is running");
  }

  private Process launch(String role, String mainClass, String... args) throws IOException {
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
            mainClass);
    pb.command()
        .addAll(
            args.length > 0
                ? List.of(args)
                : List.of("--configDir", home.resolve("conf").toString()));
    pb.redirectErrorStream(true).redirectOutput(home.resolve(role + ".out").toFile());
    Process process = pb.start();
    processes.add(process);
    // a test JVM that dies must not leave cluster JVMs behind
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    return process;
  }

  /**
   * Runs {@code flink run} (Flink's own CLI front end) against this cluster, attached, and returns
   * its exit code; its output is in {@code flink-run.out}.
   */
  public int flinkRun(Path jobJar, String mainClass, List<String> args, Duration timeout)
      throws Exception {
    return flinkRun(List.of(), jobJar, mainClass, args, timeout);
  }

  /**
   * Submits a job detached ({@code flink run -d}), from {@code savepoint} when not null, and
   * returns its job id.
   */
  public String flinkRunDetached(
      Path jobJar, String mainClass, String savepoint, List<String> args, Duration timeout)
      throws Exception {
    List<String> options = new ArrayList<>(List.of("-d"));
    if (savepoint != null) {
      options.addAll(List.of("-s", savepoint));
    }
    int exit = flinkRun(options, jobJar, mainClass, args, timeout);
    String out = output("flink-run.out");
    java.util.regex.Matcher id =
        java.util.regex.Pattern.compile("JobID ([0-9a-f]{32})").matcher(out);
    if (exit != 0 || !id.find()) {
      throw new AssertionError("flink run -d failed (exit " + exit + "):\n" + out);
    }
    return id.group(1);
  }

  private int flinkRun(
      List<String> options, Path jobJar, String mainClass, List<String> args, Duration timeout)
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
            "run"));
    cmd.addAll(options);
    cmd.addAll(List.of("-c", mainClass, jobJar.toString()));
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

  /**
   * Stops {@code jobId} with a savepoint (REST {@code POST /jobs/:id/stop}, not drained: windows
   * stay open in the savepoint) and returns the savepoint's path once the job has stopped.
   */
  public String stopWithSavepoint(String jobId, Duration timeout) throws Exception {
    String trigger =
        post(
            "/jobs/" + jobId + "/stop",
            "{\"drain\": false, \"targetDirectory\": \""
                + home.resolve("savepoints").toUri()
                + "\"}");
    String requestId = JSON.readTree(trigger).path("request-id").asText();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      var status = JSON.readTree(rest("/jobs/" + jobId + "/savepoints/" + requestId));
      if ("COMPLETED".equals(status.at("/status/id").asText())) {
        var operation = status.path("operation");
        if (operation.has("failure-cause")) {
          throw new AssertionError("the savepoint failed: " + operation.get("failure-cause"));
        }
        return operation.path("location").asText();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no savepoint in " + timeout);
  }

  /** Checkpoints {@code jobId} has completed (REST {@code /jobs/:id/checkpoints}). */
  public long completedCheckpoints(String jobId) throws IOException {
    return JSON.readTree(rest("/jobs/" + jobId + "/checkpoints")).at("/counts/completed").asLong();
  }

  /** The job's state ({@code RUNNING}...) and whether every one of its tasks runs. */
  public record JobState(String state, boolean allTasksRunning, int restarts) {}

  public JobState jobState(String jobId) throws IOException {
    var job = JSON.readTree(rest("/jobs/" + jobId));
    boolean allRunning = job.path("vertices").size() > 0;
    for (var v : job.path("vertices")) {
      allRunning &= "RUNNING".equals(v.path("status").asText());
    }
    int restarts =
        JSON.readTree(rest("/jobs/" + jobId + "/metrics?get=numRestarts"))
            .path(0)
            .path("value")
            .asInt(0);
    return new JobState(job.path("state").asText(), allRunning, restarts);
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private String post(String path, String body) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection)
            URI.create("http://localhost:" + restPort + path).toURL().openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setRequestProperty("Content-Type", "application/json");
    c.setConnectTimeout(5000);
    c.setReadTimeout(10000);
    c.getOutputStream().write(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    if (c.getResponseCode() >= 300) {
      throw new IOException(
          "POST "
              + path
              + ": "
              + c.getResponseCode()
              + " "
              + new String(c.getErrorStream().readAllBytes()));
    }
    return new String(c.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
  }

  public String output(String file) {
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

  /** A port free now on loopback (another process may take it before it is bound). */
  public static int freePort() throws IOException {
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
