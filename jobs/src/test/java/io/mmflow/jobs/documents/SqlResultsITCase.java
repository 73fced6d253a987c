package io.mmflow.jobs.documents;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.connectors.sink.iceberg.IcebergTables;
import io.mmflow.jobs.sql.SqlEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL functions give the documents job's rows: the job runs over the sample documents into
 * Iceberg, then {@code MMF_RESULTS} reads the same files in Flink SQL (the session {@code
 * bin/mmflow sql} opens) and {@code INSERT INTO results} upserts its rows: no new key appears,
 * every row keeps its text, status and page count, and a second run changes nothing. The job's dead
 * letters are error rows with the same codes.
 */
class SqlResultsITCase {
  @RegisterExtension
  static final JobFixture.SharedPostgres POSTGRES = new JobFixture.SharedPostgres();

  @Test
  void sqlWritesTheJobsRowsUnderTheJobsKeys(@TempDir Path dataDir) throws Exception {
    Configuration config =
        JobFixture.config(
            POSTGRES.server(), DocumentsJobITCase.DOCUMENTS, dataDir, "sqlresults", Map.of());
    JobFixture.run(config);
    Map<String, String> job = rows(DocumentsJobITCase.icebergRows(config, true));
    Map<String, String> deadLetters = new HashMap<>(); // source URI → code
    for (Record d : DocumentsJobITCase.icebergRows(config, false)) {
      deadLetters.put((String) d.getField("source_uri"), (String) d.getField("error_code"));
    }
    List<String> uris = new ArrayList<>(deadLetters.keySet());
    for (Record r : DocumentsJobITCase.icebergRows(config, true)) {
      if (!uris.contains((String) r.getField("source_uri"))) {
        uris.add((String) r.getField("source_uri"));
      }
    }

    TableEnvironment sql = SqlEnvironment.open(config, false).tables(); // the test's own PostgreSQL
    List<Row> files = new ArrayList<>();
    for (String uri : uris) {
      files.add(Row.of(uri, Files.readAllBytes(Path.of(java.net.URI.create(uri)))));
    }
    sql.createTemporaryView(
        "files",
        sql.fromValues(
            DataTypes.ROW(
                DataTypes.FIELD("uri", DataTypes.STRING()),
                DataTypes.FIELD("content", DataTypes.BYTES())),
            files));
    String insert =
        "INSERT INTO results /*+ OPTIONS('upsert-enabled'='true') */ SELECT r.* FROM files,"
            + " LATERAL TABLE(MMF_RESULTS(content, uri)) AS r WHERE r.status <> 'error'";
    sql.executeSql(insert).await();
    // the statement wrote every row again (an upsert: one delete and one insert per key)
    Snapshot written =
        IcebergTables.catalogLoader(config)
            .loadCatalog()
            .loadTable(IcebergTables.resultsTable(config))
            .currentSnapshot();
    assertThat(written.summary().get("added-records")).isEqualTo(Integer.toString(job.size()));
    Map<String, String> afterSql = rows(DocumentsJobITCase.icebergRows(config, true));
    assertThat(afterSql.keySet()).isEqualTo(job.keySet());
    assertThat(afterSql).isEqualTo(job);
    sql.executeSql(insert).await();
    assertThat(rows(DocumentsJobITCase.icebergRows(config, true))).isEqualTo(job);

    // the job's dead letters: error rows with their codes
    Map<String, String> errors = new HashMap<>();
    try (CloseableIterator<Row> it =
        sql.executeSql(
                "SELECT uri, r.error_code FROM files, LATERAL TABLE(MMF_RESULTS(content, uri)) AS r"
                    + " WHERE r.status = 'error'")
            .collect()) {
      it.forEachRemaining(r -> errors.put((String) r.getField(0), (String) r.getField(1)));
    }
    assertThat(deadLetters).isNotEmpty();
    assertThat(errors).isEqualTo(deadLetters);
  }

  /** Each row's key and what a reader compares: text, status, page count, language, error. */
  static Map<String, String> rows(List<Record> records) {
    Map<String, String> out = new TreeMap<>();
    for (Record r : records) {
      String key =
          r.getField("item_id")
              + "/"
              + r.getField("part_id")
              + "/"
              + r.getField("task")
              + "/"
              + r.getField("model_version");
      out.put(
          key,
          r.getField("status")
              + "|"
              + r.getField("page_count")
              + "|"
              + r.getField("language")
              + "|"
              + r.getField("error_code")
              + "|"
              + r.getField("text"));
    }
    return out;
  }
}
