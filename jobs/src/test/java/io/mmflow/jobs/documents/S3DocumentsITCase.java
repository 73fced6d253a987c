package io.mmflow.jobs.documents;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.connectors.embedded.EmbeddedPostgresServer;
import io.mmflow.connectors.embedded.LoopbackS3;
import io.mmflow.connectors.sink.iceberg.IcebergTables;
import io.mmflow.core.config.MmflowConfig;
import io.mmflow.jobs.backfill.Backfill;
import io.mmflow.jobs.backfill.BackfillDiff;
import io.mmflow.jobs.backfill.BackfillRunner;
import io.mmflow.jobs.backfill.BackfillSelection;
import io.mmflow.jobs.backfill.BackfillSession;
import io.mmflow.jobs.runtime.JobRunner;
import io.mmflow.jobs.runtime.RunSummary;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The documents job reading a bucket on S3Proxy (a real S3 API server on loopback) through the AWS
 * SDK v2, with credentials from the default provider chain, writing to real Iceberg and PostgreSQL.
 */
class S3DocumentsITCase {
  static LoopbackS3 s3;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = LoopbackS3.start();
  }

  @AfterAll
  static void stopS3() throws Exception {
    s3.close();
  }

  @Test
  void readsABucketAndWritesIcebergAndPostgres(@TempDir Path dir) throws Exception {
    Path documents = DocumentsJobITCase.DOCUMENTS;
    long expected;
    try (S3Client s3 = S3DocumentsITCase.s3.client();
        Stream<Path> files = Files.list(documents)) {
      s3.createBucket(b -> b.bucket("inbox"));
      expected = 0;
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String name = f.getFileName().toString();
        s3.putObject(b -> b.bucket("inbox").key("batch-1/" + name), RequestBody.fromFile(f));
        if (name.endsWith(".expected.txt")) {
          expected++;
        }
      }
      s3.putObject(
          b -> b.bucket("inbox").key("batch-1/big.txt"),
          RequestBody.fromString("x".repeat(200_000)));
      s3.putObject(
          b -> b.bucket("inbox").key("other/ignored.txt"),
          RequestBody.fromString("not under the prefix"));
    }

    try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(null, 0)) {
      Configuration config = config("s3://inbox/batch-1/", dir, postgres);

      RunSummary summary =
          new JobRunner(new PrintStream(OutputStream.nullOutputStream()), Duration.ofSeconds(1))
              .run(new DocumentsJob(), config);
      assertThat(summary.itemsDone()).as(summary.toString()).isEqualTo(expected);
      assertThat(summary.deadLetters()).isEqualTo(1); // big.txt, over 100 KB
      assertThat(summary.accountedFor()).isTrue();
      assertThat(summary.deadLettersByCode()).containsEntry("MMF-1002 INPUT_TOO_LARGE", 1L);

      try (Connection c = DriverManager.getConnection(postgres.jdbcUrl());
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT count(*) FILTER (WHERE part_id = '0'),"
                      + " count(*) FILTER (WHERE source_uri LIKE 's3://inbox/batch-1/%'),"
                      + " count(*) FILTER (WHERE attributes->>'source.s3.etag' IS NOT NULL)"
                      + " FROM results")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(expected);
        assertThat(rs.getLong(2)).isEqualTo(summary.results());
      }
      var table =
          IcebergTables.catalogLoader(config)
              .loadCatalog()
              .loadTable(IcebergTables.resultsTable(config));
      try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
        assertThat(rows).hasSize((int) summary.results());
      }
    }
  }

  /**
   * A backfill of the objects that failed: the one over the size limit (a dead letter, MMF-1002)
   * re-read from the bucket with a larger limit, into the backfill's branch, then published.
   */
  @Test
  void aBackfillRereadsTheObjectThatWasTooLargeWithALargerLimit(@TempDir Path dir)
      throws Exception {
    try (S3Client client = s3.client()) {
      client.createBucket(b -> b.bucket("limits"));
      client.putObject(
          b -> b.bucket("limits").key("in/small.txt"),
          RequestBody.fromString("A small note about the weather."));
      client.putObject(
          b -> b.bucket("limits").key("in/big.txt"), RequestBody.fromString("y ".repeat(60_000)));
    }
    try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(null, 0)) {
      Configuration config = config("s3://limits/in/", dir, postgres);
      PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
      RunSummary first =
          new JobRunner(quiet, Duration.ofSeconds(1)).run(new DocumentsJob(), config);
      assertThat(first.deadLettersByCode()).containsEntry("MMF-1002 INPUT_TOO_LARGE", 1L);

      try (BackfillSession session = BackfillSession.open(config, quiet)) {
        BackfillSelection tooLarge =
            new BackfillSelection(null, null, null, null, false, List.of("MMF-1002"), null);
        Backfill b =
            session.plan("limits", tooLarge, Map.of("mmflow.source.max-bytes", "1mb"), 1.0);
        assertThat(b.items()).isEqualTo(1);
        assertThat(session.store().sources("limits")).containsExactly("s3://limits/in/big.txt");
        new BackfillRunner(quiet, Duration.ofSeconds(1))
            .run("limits", session.config(), session.postgres());
        assertThat(session.store().get("limits").status()).isEqualTo(Backfill.Status.FINISHED);
        Map<String, BackfillDiff.TaskDiff> diff =
            BackfillDiff.compute(
                session.config(), session.store().get("limits"), session.runIds("limits"));
        assertThat(diff.get("extraction").added).isEqualTo(1); // it had no result before
        // not yet in the serving table: it is in the backfill's staging table
        assertThat(count(postgres, "SELECT count(*) FROM results WHERE source_uri LIKE '%big.txt'"))
            .isZero();
        session.publish("limits");
        // fixed now: the same selection finds nothing to do (the dead letter stays as history)
        assertThat(session.plan("limits-again", tooLarge, Map.of(), 1.0)).isNull();
        assertThat(
                count(
                    postgres,
                    "SELECT count(*) FROM results WHERE source_uri = 's3://limits/in/big.txt'"
                        + " AND status = 'ok' AND run_id IS NOT NULL"))
            .isEqualTo(1);
      }
      IcebergTables.withCatalog(
          config,
          catalog -> {
            try (CloseableIterable<Record> rows =
                IcebergGenerics.read(catalog.loadTable(IcebergTables.resultsTable(config)))
                    .build()) {
              assertThat(rows)
                  .anyMatch(r -> "s3://limits/in/big.txt".equals(r.getField("source_uri")));
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
            return null;
          });
    }
  }

  /** The documents job over {@code location} on S3Proxy, with a 100 KB limit and no sentiment. */
  private static Configuration config(String location, Path dir, EmbeddedPostgresServer postgres) {
    Map<String, String> keys = new HashMap<>();
    keys.put("mmflow.source.path", location);
    keys.put("mmflow.source.max-bytes", "100kb");
    keys.put("mmflow.s3.endpoint", s3.endpoint().toString());
    keys.put("mmflow.s3.path-style-access", "true");
    keys.put("mmflow.runtime.data-dir", dir.toString());
    keys.put("mmflow.runtime.checkpoint-interval", "500 ms");
    keys.put("mmflow.postgres.url", postgres.jdbcUrl());
    keys.put("mmflow.models.sentiment", ""); // these tests are about reading S3
    return MmflowConfig.load(Map.of(), keys);
  }

  private static long count(EmbeddedPostgresServer postgres, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
