package io.mmflow.jobs.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.connectors.embedded.EmbeddedPostgresServer;
import io.mmflow.connectors.sink.iceberg.IcebergTables;
import io.mmflow.core.config.MmflowConfig;
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
 * the PostgreSQL driver itself, with their service files merged.
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
    }

    Configuration config =
        MmflowConfig.load(
            Map.of(), Map.of("mmflow.iceberg.warehouse", warehouse.toUri().toString()));
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
