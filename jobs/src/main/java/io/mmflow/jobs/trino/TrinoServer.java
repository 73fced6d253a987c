package io.mmflow.jobs.trino;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.jobs.runtime.BuildInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Trino server on loopback, one coordinator that also works: the {@code trino-server}
 * tarball of the pinned version from Maven Central (fetched into the Maven cache once, with the
 * build's own {@code mvn}), extracted once under the data folder, run with a JDK new enough for it
 * (24+, found on the machine) and one catalog file. {@link #start} returns once a query has
 * answered; {@link #close} stops it.
 */
public final class TrinoServer implements AutoCloseable {
  /** The Trino version, pinned in the parent pom ({@code trino.version}). */
  public static final String VERSION = BuildInfo.trinoVersion();

  private final Process process;
  private final int port;
  private final String catalog;
  private final Path log;

  private TrinoServer(Process process, int port, String catalog, Path log) {
    this.process = process;
    this.port = port;
    this.catalog = catalog;
    this.log = log;
  }

  /**
   * Starts Trino, installed under {@code dir} ({@code dir/trino-server-<version>}), with its
   * configuration and data in {@code instance}, with one catalog, {@code catalogName}, and waits
   * until it answers {@code probe}, a query that scans a table of the catalog. {@code environment}
   * is added to the server's: the catalog file reads secrets from it ({@code ${ENV:NAME}}), so none
   * is written to disk.
   *
   * @param port the HTTP port, or 0 for a free one
   */
  public static TrinoServer start(
      Path dir,
      Path instance,
      String catalogName,
      Map<String, String> catalogProperties,
      Map<String, String> environment,
      String probe,
      int port,
      Duration timeout,
      PrintStream out)
      throws IOException, InterruptedException {
    Path home = install(dir, out);
    Path jdk = TrinoJava.home();
    int http = port > 0 ? port : freePort();
    Path etc = Files.createDirectories(instance.resolve("etc/catalog"));
    // one set of settings per start: the catalog's database may have moved (a new port)
    Files.writeString(
        instance.resolve("etc/node.properties"),
        lines(
            "node.environment=mmflow",
            "node.data-dir=" + instance.resolve("data").toAbsolutePath(),
            "node.bind-ip=127.0.0.1",
            "node.internal-address=127.0.0.1"));
    Files.writeString(
        instance.resolve("etc/jvm.config"),
        lines(
            "-server",
            "-Xmx2G",
            "-XX:+UseG1GC",
            "-XX:+ExplicitGCInvokesConcurrent",
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:-OmitStackTraceInFastThrow",
            "-XX:ReservedCodeCacheSize=256M",
            "-Djdk.attach.allowAttachSelf=true",
            "-XX:+EnableDynamicAgentLoading",
            "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow",
            "-Dfile.encoding=UTF-8"));
    Files.writeString(
        instance.resolve("etc/config.properties"),
        lines(
            "coordinator=true",
            "node-scheduler.include-coordinator=true",
            "http-server.http.port=" + http,
            "discovery.uri=http://127.0.0.1:" + http));
    Files.writeString(
        instance.resolve("etc/log.properties"),
        lines("io.trino=WARN", "io.airlift=WARN", "org.eclipse.jetty=WARN", "Bootstrap=WARN"));
    Files.writeString(
        etc.resolve(catalogName + ".properties"), TrinoCatalog.text(catalogProperties));
    Path log = instance.resolve("server.log");
    ProcessBuilder pb =
        new ProcessBuilder(
            home.resolve("bin/launcher").toString(),
            "-etc-dir=" + instance.resolve("etc").toAbsolutePath(),
            "-data-dir=" + instance.resolve("data").toAbsolutePath(),
            "-jvm-dir=" + jdk,
            "run"); // in the foreground: this process is the server's JVM
    pb.environment().putAll(environment); // secrets the catalog file names as ${ENV:...}
    pb.environment().put("JAVA_HOME", jdk.toString());
    pb.environment()
        .put("PATH", jdk.resolve("bin") + java.io.File.pathSeparator + System.getenv("PATH"));
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    long t0 = System.nanoTime();
    TrinoServer server = new TrinoServer(pb.start(), http, catalogName, log);
    try {
      server.awaitQueries(probe, timeout);
    } catch (IOException | InterruptedException | RuntimeException e) {
      server.close();
      throw e;
    }
    out.printf(
        "mmflow: Trino %s on %s (started in %.1f s; log %s)%n",
        VERSION, server.jdbcUrl(), (System.nanoTime() - t0) / 1e9, log);
    return server;
  }

  /** Trino's JDBC URL, with the catalog and the schema {@code mmflow}. */
  public String jdbcUrl() {
    return "jdbc:trino://127.0.0.1:" + port + "/" + catalog + "/mmflow";
  }

  public int port() {
    return port;
  }

  /** A connection as user {@code mmflow}. */
  public Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "mmflow");
    return DriverManager.getConnection(jdbcUrl(), p);
  }

  /**
   * {@code sql} on {@code statement}, read whole into memory, retried for up to a minute while
   * Trino says it has no node to run it on: its one node announces the catalog some seconds after
   * the server answers (a count can come from metadata before), and on a loaded machine it can miss
   * heartbeats and be dropped for a few seconds. The error can come with the first rows, so the
   * rows are read inside the retry; a query that failed that way had not run.
   */
  public static java.sql.ResultSet query(Statement statement, String sql)
      throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (true) {
      try (java.sql.ResultSet rs = statement.executeQuery(sql)) {
        javax.sql.rowset.CachedRowSet rows =
            javax.sql.rowset.RowSetProvider.newFactory().createCachedRowSet();
        rows.populate(rs);
        return rows;
      } catch (SQLException e) {
        if (!String.valueOf(e.getMessage()).contains("No nodes available")
            || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(500);
      }
    }
  }

  /** Blocks until the server is stopped (Ctrl-C in {@code bin/mmflow trino}). */
  public int waitFor() throws InterruptedException {
    return process.waitFor();
  }

  /**
   * Until {@code probe} answers: the server answers {@code /v1/info}, {@code SELECT 1} and even
   * lists an active node a few seconds before a scan of the catalog's tables stops failing with "No
   * nodes available" (the node has not announced the catalog yet).
   */
  private void awaitQueries(String probe, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new MmflowException(
            ErrorCode.CONFIGURATION_INVALID,
            "Trino stopped while starting (exit " + process.exitValue() + "): " + tail(log));
      }
      try (Connection c = connect();
          Statement s = c.createStatement();
          java.sql.ResultSet nodes =
              s.executeQuery("SELECT count(*) FROM system.runtime.nodes WHERE state = 'active'")) {
        if (nodes.next() && nodes.getLong(1) > 0) {
          return;
        }
      } catch (SQLException notYet) {
        last = notYet;
      }
      Thread.sleep(500);
    }
    throw new MmflowException(
        ErrorCode.CONFIGURATION_INVALID,
        "Trino did not answer within "
            + timeout.toSeconds()
            + " s ("
            + (last == null ? "" : last.getMessage())
            + "); its log: "
            + log);
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }

  /**
   * The extracted server under {@code dir}, extracting the tarball from the Maven cache (fetched
   * first if missing) when it is not there yet. The whole tarball: its plugin folders share jars
   * through hard links.
   */
  static Path install(Path dir, PrintStream out) throws IOException, InterruptedException {
    Path home = dir.resolve("trino-server-" + VERSION);
    if (Files.isExecutable(home.resolve("bin/launcher"))) {
      return home;
    }
    Path tarball = tarball(out);
    Files.createDirectories(dir);
    Path partial = Files.createTempDirectory(dir, "extracting-");
    out.printf("mmflow: extracting Trino %s into %s (once)%n", VERSION, home);
    try {
      run(
          List.of("tar", "-xzf", tarball.toString(), "-C", partial.toString()),
          "extract " + tarball);
      Files.move(partial.resolve("trino-server-" + VERSION), home);
    } finally {
      deleteTree(partial); // a failed or interrupted extraction leaves nothing behind
    }
    return home;
  }

  /** The tarball in the local Maven repository, downloaded with {@code mvn} the first time. */
  static Path tarball(PrintStream out) throws IOException, InterruptedException {
    Path repo =
        Path.of(
            System.getProperty(
                "maven.repo.local", System.getProperty("user.home") + "/.m2/repository"));
    Path tarball =
        repo.resolve("io/trino/trino-server/" + VERSION + "/trino-server-" + VERSION + ".tar.gz");
    if (Files.isRegularFile(tarball)) {
      return tarball;
    }
    out.printf(
        "mmflow: downloading Trino %s from Maven Central into %s (about 820 MB, once)%n",
        VERSION, repo);
    run(
        List.of(
            "mvn",
            "-q",
            "-B",
            "-Dmaven.repo.local=" + repo,
            "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get",
            "-Dartifact=io.trino:trino-server:" + VERSION + ":tar.gz",
            "-Dtransitive=false"),
        "download io.trino:trino-server:" + VERSION + ":tar.gz (needs mvn and Maven Central)");
    if (!Files.isRegularFile(tarball)) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID, "Maven did not leave the Trino tarball at " + tarball);
    }
    return tarball;
  }

  private static void run(List<String> command, String what)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "could not " + what + ": " + output.lines().reduce((a, b) -> b).orElse(""));
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String lines(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  @Override
  public void close() {
    process.destroy(); // SIGTERM: Trino stops in well under a second
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
