package io.mmflow.sql.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.table.gateway.rest.SqlGatewayRestEndpoint;
import org.apache.flink.table.gateway.service.SqlGatewayServiceImpl;
import org.apache.flink.table.gateway.service.context.DefaultContext;
import org.apache.flink.table.gateway.service.session.SessionManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mmflow jar in Flink's own SQL tools, each submitting to a Flink cluster on loopback (a
 * MiniCluster with its REST endpoint): the SQL Gateway (2.1.1, its REST endpoint in this JVM) with
 * Flink's JDBC driver (2.1.0), as BI tools and notebooks connect; and Flink's SQL client (2.1.0) in
 * a JVM of its own, running a script as {@code sql-client.sh -f} does. Both load the module by name
 * ({@code LOAD MODULE mmflow}) and run its functions in jobs on the cluster.
 */
class FlinkSqlClientsITCase {
  static final String SHA256_OF_ABC =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  static final String ENGLISH = "The quick brown fox jumps over the lazy dog and runs away";

  @TempDir static Path dir;
  static MiniCluster cluster;
  static URI rest;

  @BeforeAll
  static void startCluster() throws Exception {
    Configuration conf = new Configuration();
    conf.set(RestOptions.ADDRESS, "127.0.0.1");
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.BIND_PORT, "0");
    cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(2)
                .build());
    cluster.start();
    rest = cluster.getRestAddress().get();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theSqlGatewayRunsMmflowQueriesForTheJdbcDriver() throws Exception {
    // the gateway's sessions submit to the cluster
    Configuration flink = new Configuration();
    flink.set(DeploymentOptions.TARGET, "remote");
    flink.set(RestOptions.ADDRESS, rest.getHost());
    flink.set(RestOptions.PORT, rest.getPort());
    flink.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
    SessionManager sessions = SessionManager.create(new DefaultContext(flink, List.of()));
    sessions.start();
    // its REST endpoint on a free loopback port (the endpoint's own copy of rest.*)
    Configuration endpointConf = new Configuration(flink);
    endpointConf.set(RestOptions.ADDRESS, "127.0.0.1");
    endpointConf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    endpointConf.set(RestOptions.BIND_PORT, "0");
    SqlGatewayRestEndpoint endpoint =
        new SqlGatewayRestEndpoint(endpointConf, new SqlGatewayServiceImpl(sessions));
    endpoint.start();
    int before = finishedJobs();
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:flink://127.0.0.1:" + endpoint.getServerAddress().getPort());
        Statement s = c.createStatement()) {
      s.execute("LOAD MODULE mmflow");
      try (ResultSet rs =
          s.executeQuery(
              "SELECT MMF_SHA256(CAST('abc' AS BYTES)) AS sha, MMF_LANGUAGE('"
                  + ENGLISH
                  + "') AS lang, MMF_CONTENT_TYPE(X'255044462D312E340A25E2E3CFD30A') AS type,"
                  + " MMF_REDACT('Mail anna@example.org today') AS redacted")) {
        assertThat(rs.getMetaData().getColumnType(1)).isEqualTo(Types.VARCHAR);
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("sha")).isEqualTo(SHA256_OF_ABC);
        assertThat(rs.getString("lang")).isEqualTo("en");
        assertThat(rs.getString("type")).isEqualTo("application/pdf");
        assertThat(rs.getString("redacted")).doesNotContain("anna@example.org");
        assertThat(rs.next()).isFalse();
      }
    } finally {
      endpoint.closeAsync().get();
      sessions.stop();
    }
    assertThat(finishedJobs()).isGreaterThan(before); // the query ran on the cluster
  }

  @Test
  void flinksSqlClientRunsAScriptWithTheMmflowModule() throws Exception {
    // what sql-client.sh needs: a configuration folder (FLINK_CONF_DIR) naming the cluster
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Files.writeString(
        conf.resolve("config.yaml"),
        String.join(
            "\n",
            "execution.target: remote",
            "rest.address: " + rest.getHost(),
            "rest.port: " + rest.getPort(),
            "parallelism.default: 1",
            ""));
    Path log = dir.resolve("sql-client.log");
    Files.writeString(
        conf.resolve("log4j2-client.properties"),
        String.join(
            "\n",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.file.ref = file",
            "appender.file.type = File",
            "appender.file.name = file",
            "appender.file.fileName = " + log,
            "appender.file.layout.type = PatternLayout",
            "appender.file.layout.pattern = %d %-5p %c - %m%n",
            ""));
    Path script = dir.resolve("script.sql");
    Files.writeString(
        script,
        String.join(
            "\n",
            "SET 'sql-client.execution.result-mode' = 'tableau';",
            "SET 'execution.runtime-mode' = 'batch';",
            "SET 'table.display.max-column-width' = '80';",
            "LOAD MODULE mmflow;",
            "SELECT MMF_SHA256(CAST('abc' AS BYTES)) AS h,",
            "  MMF_LANGUAGE('" + ENGLISH + "') AS lang;",
            ""));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-Dorg.jline.terminal.dumb=true"); // no terminal here
    command.add("-Dlog4j.configurationFile=" + conf.resolve("log4j2-client.properties"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path")); // Flink's jars, the client, mmflow's
    command.add("org.apache.flink.table.client.SqlClient");
    command.addAll(List.of("-f", script.toString(), "-hist", dir.resolve("history").toString()));
    ProcessBuilder client = new ProcessBuilder(command);
    client.environment().put("FLINK_CONF_DIR", conf.toString());
    client.redirectErrorStream(true);
    client.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Path out = dir.resolve("sql-client.out");
    client.redirectOutput(out.toFile());
    int before = finishedJobs();
    Process p = client.start();
    boolean exited = p.waitFor(180, TimeUnit.SECONDS);
    if (!exited) {
      p.destroyForcibly();
    }
    String output = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(exited).as("the SQL client exits; it printed:%n%s", output).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    // the client reports a failed statement and still exits 0: its output says
    assertThat(output)
        .doesNotContain("[ERROR]")
        .contains(SHA256_OF_ABC)
        .containsPattern("\\|\\s+en\\s+\\|");
    assertThat(finishedJobs()).isGreaterThan(before);
  }

  private static int finishedJobs() throws Exception {
    int n = 0;
    for (JobStatusMessage job : cluster.listJobs().get()) {
      n += job.getJobState().name().equals("FINISHED") ? 1 : 0;
    }
    return n;
  }
}
