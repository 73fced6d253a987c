package io.mmflow.sql.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mmflow.connectors.embedded.LoopbackS3;
import io.mmflow.core.util.Hashing;
import io.mmflow.datasets.documents.SampleDocuments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The {@code mmflow-media} table on a MiniCluster over the sample documents: one row per file with
 * the jobs' item id, the detected type and hash; a query without the bytes does not read them; the
 * rows feed the SQL functions; a watched folder's new file arrives as a new row.
 */
class MediaTableITCase {
  @TempDir static Path dir;

  @BeforeAll
  static void samples() {
    SampleDocuments.generate(dir);
  }

  static TableEnvironment batch() {
    TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.inBatchMode());
    sql.executeSql("LOAD MODULE mmflow");
    sql.executeSql(
        "CREATE TABLE docs (item_id STRING, source_uri STRING, media_type STRING, size_bytes"
            + " BIGINT, content_sha256 STRING, content BYTES, content_ref STRING, event_time"
            + " TIMESTAMP_LTZ(3), attributes MAP<STRING, STRING>) WITH ('connector' ="
            + " 'mmflow-media', 'path' = '"
            + dir.toUri()
            + "', 'include' = '*.pdf;scans/*', 'max-bytes' = '60kb')");
    return sql;
  }

  static List<Row> rows(TableEnvironment sql, String query) throws Exception {
    List<Row> out = new ArrayList<>();
    try (CloseableIterator<Row> it = sql.executeSql(query).collect()) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void oneRowPerObjectWithTheJobsIdsAndTheDetectedType() throws Exception {
    TableEnvironment sql = batch();
    Map<String, Row> byName = new HashMap<>();
    for (Row r :
        rows(
            sql,
            "SELECT attributes['file.name'], item_id, source_uri, media_type, size_bytes,"
                + " content_sha256, content IS NULL, content_ref FROM docs")) {
      byName.put((String) r.getField(0), r);
    }
    assertThat(byName.keySet())
        .containsExactlyInAnyOrder(
            "invoice-2024.pdf", "hotel-review.pdf", "scanned-memo.png", "scanned-report.pdf");
    Row invoice = byName.get("invoice-2024.pdf");
    byte[] bytes = Files.readAllBytes(dir.resolve("invoice-2024.pdf"));
    assertThat(invoice.getField(1)).isEqualTo(Hashing.stableId((String) invoice.getField(2)));
    assertThat(invoice.getField(3)).isEqualTo("application/pdf");
    assertThat(invoice.getField(4)).isEqualTo((long) bytes.length);
    assertThat(invoice.getField(5)).isEqualTo(Hashing.sha256Hex(bytes));
    assertThat(invoice.getField(6)).isEqualTo(false);
    // objects over max-bytes have no bytes, a reference to them instead (the scanned memo is)
    for (Row r : byName.values()) {
      boolean over = (Long) r.getField(4) > 60 * 1024L;
      assertThat(r.getField(6)).as(r.toString()).isEqualTo(over);
      assertThat(r.getField(7)).as(r.toString()).isEqualTo(over ? r.getField(2) : null);
    }
    assertThat((Long) byName.get("scanned-memo.png").getField(4)).isGreaterThan(60 * 1024L);
  }

  @Test
  void aQueryWithoutTheBytesDoesNotReadThem() throws Exception {
    TableEnvironment sql = batch();
    assertThat(sql.explainSql("SELECT source_uri, size_bytes FROM docs"))
        .contains("project=[source_uri, size_bytes]");
    // the same rows, sizes from the listing
    assertThat(rows(sql, "SELECT source_uri, size_bytes FROM docs")).hasSize(4);
  }

  @Test
  void rowsFeedTheFunctions() throws Exception {
    TableEnvironment sql = batch();
    List<Row> rows =
        rows(
            sql,
            "SELECT docs.attributes['file.name'], docs.size_bytes, r.status, r.error_code"
                + " FROM docs, LATERAL TABLE(MMF_RESULTS(docs.content, docs.source_uri,"
                + " docs.event_time)) AS r WHERE r.part_id = '0'");
    assertThat(rows).hasSize(4);
    for (Row r : rows) {
      if ((Long) r.getField(1) > 60 * 1024L) {
        // over max-bytes: an error row, not a missing one
        assertThat(r.getField(3)).as(r.toString()).isEqualTo("MMF-1001");
      } else {
        assertThat(r.getField(2)).as(r.toString()).isEqualTo("ok");
      }
    }
  }

  @Test
  void aWatchedFolderGivesNewFilesAsNewRows() throws Exception {
    Path watched = Files.createDirectories(dir.resolve("watched"));
    Files.copy(dir.resolve("invoice-2024.pdf"), watched.resolve("first.pdf"));
    TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
    sql.executeSql(
        "CREATE TABLE incoming (source_uri STRING, media_type STRING) WITH ('connector' ="
            + " 'mmflow-media', 'path' = '"
            + watched.toUri()
            + "', 'monitor-interval' = '200 ms')");
    TableResult result = sql.executeSql("SELECT source_uri, media_type FROM incoming");
    try (CloseableIterator<Row> it = result.collect()) {
      assertThat((String) it.next().getField(0)).endsWith("first.pdf");
      Files.copy(dir.resolve("hotel-review.pdf"), watched.resolve("second.pdf"));
      Row next = it.next();
      assertThat((String) next.getField(0)).endsWith("second.pdf");
      assertThat(next.getField(1)).isEqualTo("application/pdf");
    } finally {
      result.getJobClient().ifPresent(c -> c.cancel());
    }
  }

  @Test
  void aBucketPrefixIsATable() throws Exception {
    byte[] invoice = Files.readAllBytes(dir.resolve("invoice-2024.pdf"));
    try (LoopbackS3 s3 = LoopbackS3.start();
        S3Client client = s3.client()) {
      client.createBucket(b -> b.bucket("scans"));
      client.putObject(
          b -> b.bucket("scans").key("batch/invoice.pdf"), RequestBody.fromBytes(invoice));
      client.putObject(
          b -> b.bucket("scans").key("batch/review.pdf"),
          RequestBody.fromFile(dir.resolve("hotel-review.pdf")));
      client.putObject(b -> b.bucket("scans").key("other/x.pdf"), RequestBody.fromBytes(invoice));
      TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.inBatchMode());
      sql.executeSql(
          "CREATE TABLE bucket (source_uri STRING, media_type STRING, content_sha256 STRING) WITH"
              + " ('connector' = 'mmflow-media', 'path' = 's3://scans/batch/',"
              + " 'mmflow.s3.endpoint' = '"
              + s3.endpoint()
              + "', 'mmflow.s3.path-style-access' = 'true')");
      Map<String, Row> byUri = new HashMap<>();
      rows(sql, "SELECT * FROM bucket").forEach(r -> byUri.put((String) r.getField(0), r));
      assertThat(byUri.keySet())
          .containsExactlyInAnyOrder("s3://scans/batch/invoice.pdf", "s3://scans/batch/review.pdf");
      assertThat(byUri.get("s3://scans/batch/invoice.pdf").getField(1))
          .isEqualTo("application/pdf");
      assertThat(byUri.get("s3://scans/batch/invoice.pdf").getField(2))
          .isEqualTo(Hashing.sha256Hex(invoice));
    }
  }

  @Test
  void anUnknownColumnIsRefusedWithTheColumnsThereAre() {
    TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.inBatchMode());
    sql.executeSql(
        "CREATE TABLE odd (title STRING) WITH ('connector' = 'mmflow-media', 'path' = '"
            + dir.toUri()
            + "')");
    assertThatThrownBy(() -> sql.executeSql("SELECT * FROM odd"))
        .hasStackTraceContaining("no column title; a media table has item_id STRING");
  }
}
