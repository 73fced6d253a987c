package io.mmflow.jobs.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.connectors.embedded.EmbeddedPostgresServer;
import io.mmflow.connectors.sink.iceberg.IcebergTables;
import io.mmflow.core.config.MmflowConfig;
import io.mmflow.jobs.cli.MmflowCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded job jar, submitted with {@code flink run} to a real standalone cluster whose JVMs have
 * only Flink on their classpath: the jar must bring Tika, Iceberg, Hadoop, the JDBC connector and
 * the PostgreSQL driver itself, with their service files merged; and {@code bin/mmflow sql
 * --remote} running its statements' jobs on the same cluster with that jar.
 *
 * <p>Runs in the integration-test phase (failsafe), after the jar is packaged.
 */
class DocumentsJobDeploymentITCase {
  static final Path REPO = Path.of(System.getProperty("mmflow.repo.root", ".."));

  @Test
  void shadedJarRunsWithFlinkRunOnAStandaloneCluster(@TempDir Path dir) throws Exception {
    Path jar = Path.of(System.getProperty("mmflow.job.jar"));
    assertThat(jar).exists();
    Path documents = REPO.resolve("datasets/documents");
    long expected;
    try (Stream<Path> files = Files.walk(documents)) {
      expected =
          files
              .filter(
                  p -> p.toString().endsWith(".expected.txt") || p.toString().endsWith(".gt.txt"))
              .count();
    }
    Path warehouse = dir.resolve("warehouse");

    try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(null, 0);
        StandaloneFlinkCluster cluster =
            StandaloneFlinkCluster.start(
                dir.resolve("flink"), Path.of(System.getProperty("mmflow.runner.classpath")))) {
      int exit =
          cluster.flinkRun(
              jar,
              "io.mmflow.jobs.documents.DocumentsJob",
              List.of(
                  "--input",
                  documents.toAbsolutePath().toString(),
                  "-Dmmflow.postgres.url=" + postgres.jdbcUrl(),
                  "-Dmmflow.iceberg.warehouse=" + warehouse.toUri(),
                  "-Dmmflow.runtime.checkpoint-interval=1 s"),
              Duration.ofMinutes(4));
      assertThat(exit).as("flink run output:%n%s", cluster.output("flink-run.out")).isZero();

      try (Connection c = DriverManager.getConnection(postgres.jdbcUrl());
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT (SELECT count(*) FROM results WHERE part_id = '0'"
                      + "   AND task = 'extraction'),"
                      + " (SELECT count(*) FROM dead_letters),"
                      + " (SELECT count(*) FROM results WHERE task = 'sentiment'"
                      + "   AND provider = 'onnxruntime' AND confidence BETWEEN 0.5 AND 1)")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(expected);
        assertThat(rs.getLong(2)).isEqualTo(3);
        // the sentiment model ran inside the TaskManager JVM (ONNX Runtime natives, DJL tokenizer)
        assertThat(rs.getLong(3)).isEqualTo(expected);
      }

      // bin/mmflow sql --remote: the statements' jobs run on the same cluster with the job jar,
      // reading the results table the job wrote and calling the mmflow module's functions
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code =
          MmflowCli.execute(
              new PrintWriter(out, true),
              new PrintWriter(err, true),
              "sql",
              "--remote",
              cluster.restAddress(),
              "-D",
              "mmflow.iceberg.warehouse=" + warehouse.toUri(),
              "-D",
              "mmflow.postgres.url=" + postgres.jdbcUrl(), // where the job's catalog is
              "-D",
              "mmflow.runtime.data-dir=" + dir.resolve("sql-data"),
              "-e",
              "SELECT count(*) AS documents FROM results WHERE part_id = '0' AND task ="
                  + " 'extraction'; SELECT MMF_LANGUAGE('Das ist ein kurzer Satz auf Deutsch, der"
                  + " nicht sehr lang ist.') AS lang");
      assertThat(code).as(err.toString()).isZero();
      assertThat(out.toString()).contains("| " + expected + " ").contains("| de ");
      // three jobs finished on the cluster: the documents job and the two queries
      assertThat(cluster.rest("/jobs/overview").split("\"FINISHED\"", -1)).hasSize(4);

      // the catalog the job committed to: the JDBC catalog in the same PostgreSQL
      Configuration config =
          MmflowConfig.load(
              Map.of(),
              Map.of(
                  "mmflow.iceberg.warehouse",
                  warehouse.toUri().toString(),
                  "mmflow.postgres.url",
                  postgres.jdbcUrl()));
      var table =
          IcebergTables.catalogLoader(config)
              .loadCatalog()
              .loadTable(IcebergTables.resultsTable(config));
      try (CloseableIterable<Record> rows =
          IcebergGenerics.read(table)
              .where(
                  Expressions.and(
                      Expressions.equal("part_id", "0"), Expressions.equal("task", "extraction")))
              .build()) {
        assertThat(rows).hasSize((int) expected);
      }
    }
  }

  /**
   * A documents run on the same kind of cluster with its TaskManager killed with SIGKILL halfway:
   * the job restarts from its last checkpoint on a new TaskManager and finishes, and every input
   * has exactly one extraction result in PostgreSQL and in Iceberg (count and key checksum).
   */
  @Test
  void aDocumentsRunSurvivesAKilledTaskManager(@TempDir Path dir) throws Exception {
    Path jar = Path.of(System.getProperty("mmflow.job.jar"));
    Path input = Files.createDirectories(dir.resolve("in"));
    int files = 3_000;
    long checksum = 0;
    for (int i = 0; i < files; i++) {
      String name = "note-" + i + ".txt";
      Files.writeString(
          input.resolve(name),
          (i % 2 == 0
                  ? "The delivery was quick and the phone works great. "
                  : "Broken on arrival. ")
              + "Note number "
              + i
              + ".");
      checksum += crc(name);
    }
    Path warehouse = dir.resolve("warehouse");
    try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(null, 0);
        StandaloneFlinkCluster cluster =
            StandaloneFlinkCluster.start(
                dir.resolve("flink"), Path.of(System.getProperty("mmflow.runner.classpath")))) {
      String url = postgres.jdbcUrl();
      String job =
          cluster.flinkRunDetached(
              jar,
              "io.mmflow.jobs.documents.DocumentsJob",
              null,
              List.of(
                  "--input",
                  input.toString(),
                  "-Dmmflow.postgres.url=" + url,
                  "-Dmmflow.iceberg.warehouse=" + warehouse.toUri(),
                  "-Dmmflow.runtime.checkpoint-interval=500 ms",
                  "-Drestart-strategy.type=fixed-delay",
                  "-Drestart-strategy.fixed-delay.attempts=20",
                  "-Drestart-strategy.fixed-delay.delay=1 s"),
              Duration.ofMinutes(3));
      String extracted = "SELECT count(*) FROM results WHERE part_id = '0' AND task = 'extraction'";
      awaitTrue(
          "results and a checkpoint before the kill",
          () ->
              // as early as possible: a faster machine must still be mid-run at the kill
              count(url, extracted) >= 1 && cluster.completedCheckpoints(job) >= 1);
      long before = count(url, extracted);
      assertThat(before)
          .as("the run was still going when the TaskManager was killed")
          .isLessThan(files);
      long killed = System.nanoTime();
      cluster.killTaskManager();
      cluster.startTaskManager();
      awaitTrue("the run finished", () -> "FINISHED".equals(cluster.jobState(job).state()));
      System.out.printf(
          "RECOVERY documents: killed after %d of %d, finished %.1f s after the kill,"
              + " restarts=%d%n",
          before, files, (System.nanoTime() - killed) / 1e9, cluster.jobState(job).restarts());
      assertThat(cluster.jobState(job).restarts()).isPositive();

      assertThat(count(url, extracted)).isEqualTo(files);
      assertThat(
              count(
                  url,
                  "SELECT count(DISTINCT source_uri) FROM results WHERE part_id = '0'"
                      + " AND task = 'extraction'"))
          .isEqualTo(files);
      long stored = 0;
      try (Connection c = DriverManager.getConnection(url);
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT source_uri FROM results WHERE part_id = '0' AND task = 'extraction'")) {
        while (rs.next()) {
          String uri = rs.getString(1);
          stored += crc(uri.substring(uri.lastIndexOf('/') + 1));
        }
      }
      assertThat(stored).isEqualTo(checksum);
      Configuration config =
          MmflowConfig.load(
              Map.of(),
              Map.of(
                  "mmflow.iceberg.warehouse",
                  warehouse.toUri().toString(),
                  "mmflow.postgres.url",
                  url));
      var table =
          IcebergTables.catalogLoader(config)
              .loadCatalog()
              .loadTable(IcebergTables.resultsTable(config));
      long icebergChecksum = 0;
      int icebergRows = 0;
      try (CloseableIterable<Record> rows =
          IcebergGenerics.read(table)
              .where(
                  Expressions.and(
                      Expressions.equal("part_id", "0"), Expressions.equal("task", "extraction")))
              .build()) {
        for (Record r : rows) {
          String uri = (String) r.getField("source_uri");
          icebergChecksum += crc(uri.substring(uri.lastIndexOf('/') + 1));
          icebergRows++;
        }
      }
      assertThat(icebergRows).isEqualTo(files);
      assertThat(icebergChecksum).isEqualTo(checksum);
    }
  }

  static long count(String url, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static long crc(String s) {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return crc.getValue();
  }

  /** Polls {@code condition} every 200 ms for up to 4 minutes. */
  static void awaitTrue(String what, java.util.concurrent.Callable<Boolean> condition)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (condition.call()) {
          return;
        }
      } catch (Exception e) {
        last = e; // a table not created yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("timed out waiting for " + what, last);
  }
}
