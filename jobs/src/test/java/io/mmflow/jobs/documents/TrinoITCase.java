package io.mmflow.jobs.documents;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.core.config.PostgresOptions;
import io.mmflow.datasets.documents.SampleDocuments;
import io.mmflow.jobs.cli.SqlScript;
import io.mmflow.jobs.sql.SqlEnvironment;
import io.mmflow.jobs.trino.TrinoJava;
import io.mmflow.jobs.trino.TrinoServer;
import io.mmflow.jobs.trino.TrinoSession;
import io.mmflow.jobs.trino.TrinoTests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Trino server (the pinned trino-server from Maven Central, on a JDK 24+ of the machine)
 * over the catalog the documents job wrote in the same test: the shared JDBC catalog in the serving
 * PostgreSQL, no extra step. Trino, Flink SQL and PostgreSQL give the same answers (counts per
 * task, a checksum of the keys, dead letters per code); every query of sql/trino/ runs; a run
 * committed while Trino is up is seen by its next query.
 */
class TrinoITCase {
  static final Path REPO = Path.of(System.getProperty("mmflow.repo.root", ".."));

  @RegisterExtension
  static final JobFixture.SharedPostgres POSTGRES = new JobFixture.SharedPostgres();

  @Test
  void trinoReadsTheJobsTablesAndAgreesWithFlinkSqlAndPostgres(@TempDir Path dir) throws Exception {
    // Trino needs a JDK 24+ beside the build's: most machines of this kind have one; where none is,
    // the test says what is missing rather than fail the build for it
    String noJdk = TrinoJava.missingJava();
    org.junit.jupiter.api.Assumptions.assumeTrue(noJdk == null, noJdk);
    Path docs = dir.resolve("docs");
    SampleDocuments.generate(docs);
    Configuration config =
        JobFixture.config(POSTGRES.server(), docs, dir.resolve("data"), "trino_run", Map.of());
    JobFixture.run(config);
    TrinoTests.shareInstallation(config);

    String perTask = "SELECT task, count(*) AS n FROM results GROUP BY task";
    String keys =
        "SELECT count(DISTINCT item_id || '/' || part_id || '/' || task || '/'"
            + " || coalesce(model_version, '')) AS k FROM results";
    String deadLetters = "SELECT error_code, count(*) AS n FROM dead_letters GROUP BY error_code";
    String resultsByRun = "SELECT run_id, count(*) AS n FROM results GROUP BY run_id";
    String deadLettersByRun = "SELECT run_id, count(*) AS n FROM dead_letters GROUP BY run_id";
    try (TrinoSession trino = TrinoSession.open(config, 0, System.out);
        Connection t = trino.server().connect();
        Connection pg = DriverManager.getConnection(config.get(PostgresOptions.URL))) {
      Map<String, Long> byTask = pairs(t, perTask.replace("results", "mmflow.mmflow.results"));
      assertThat(byTask).containsKeys("extraction").isEqualTo(pairs(pg, perTask));
      assertThat(pairs(t, keys)).isEqualTo(pairs(pg, keys));
      assertThat(pairs(t, deadLetters)).isNotEmpty().isEqualTo(pairs(pg, deadLetters));
      // every row carries the run that wrote it: one run so far, the same in every engine
      Map<String, Long> resultsPerRun = pairs(pg, resultsByRun);
      assertThat(resultsPerRun).hasSize(1).doesNotContainKey(null);
      assertThat(pairs(t, resultsByRun.replace("results", "mmflow.mmflow.results")))
          .isEqualTo(resultsPerRun);
      Map<String, Long> deadLettersPerRun = pairs(pg, deadLettersByRun);
      assertThat(deadLettersPerRun.keySet()).isEqualTo(resultsPerRun.keySet());
      assertThat(pairs(t, deadLettersByRun.replace("dead_letters", "mmflow.mmflow.dead_letters")))
          .isEqualTo(deadLettersPerRun);
      try (SqlEnvironment flink = SqlEnvironment.open(config, false)) {
        assertThat(flinkPairs(flink, perTask)).isEqualTo(byTask);
        assertThat(flinkPairs(flink, deadLetters)).isEqualTo(pairs(pg, deadLetters));
        assertThat(flinkPairs(flink, resultsByRun)).isEqualTo(resultsPerRun);
        assertThat(flinkPairs(flink, deadLettersByRun)).isEqualTo(deadLettersPerRun);
        // every query analysts are given for Flink SQL runs
        for (String query : statements(REPO.resolve("sql/flink/analyst-queries.sql"))) {
          try (CloseableIterator<Row> rows = flink.tables().executeSql(query).collect()) {
            rows.forEachRemaining(r -> {});
          }
        }
      }
      // every serving query runs on PostgreSQL, its parameter an item of this run
      String item = "";
      try (Statement s = pg.createStatement();
          ResultSet rs = s.executeQuery("SELECT min(item_id) FROM results")) {
        rs.next();
        item = rs.getString(1);
      }
      for (String query : statements(REPO.resolve("sql/postgres/serving-queries.sql"))) {
        try (java.sql.PreparedStatement s = pg.prepareStatement(query.replace("$1", "?"))) {
          if (query.contains("$1")) {
            s.setString(1, item);
          }
          try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              // read every row
            }
          }
        }
      }

      // every query analysts are given for Trino runs
      for (String query : statements(REPO.resolve("sql/trino/analyst-queries.sql"))) {
        try (Statement s = t.createStatement();
            ResultSet rs = TrinoServer.query(s, query)) {
          while (rs.next()) {
            // read every row: a query that fails on its data fails here
          }
        }
      }

      // a run committed while Trino is up: its next query sees it
      Path more = Files.createDirectories(dir.resolve("more"));
      Files.writeString(more.resolve("late-note.txt"), "One more document, written later.");
      Configuration second = new Configuration(config);
      second.setString("mmflow.source.path", more.toString());
      JobFixture.run(second);
      Map<String, Long> after = pairs(t, perTask.replace("results", "mmflow.mmflow.results"));
      assertThat(after.get("extraction")).isEqualTo(byTask.get("extraction") + 1);
      assertThat(after).isEqualTo(pairs(pg, perTask));

      // the two runs, in both stores, the same: job_runs in PostgreSQL and in Iceberg
      String runs = "SELECT run_id, items_read FROM job_runs";
      Map<String, Long> pgRuns = pairs(pg, runs);
      assertThat(pgRuns).hasSize(2);
      // the rows name their runs: the first run's results stand, the second wrote one document's
      Map<String, Long> resultsPerRunAfter = pairs(pg, resultsByRun);
      assertThat(pgRuns.keySet()).containsAll(resultsPerRunAfter.keySet());
      assertThat(resultsPerRunAfter).hasSize(2).containsAllEntriesOf(resultsPerRun);
      String secondRun =
          resultsPerRunAfter.keySet().stream()
              .filter(id -> !resultsPerRun.containsKey(id))
              .findFirst()
              .orElseThrow();
      assertThat(resultsPerRunAfter.get(secondRun))
          .isEqualTo(
              after.values().stream().mapToLong(Long::longValue).sum()
                  - byTask.values().stream().mapToLong(Long::longValue).sum());
      assertThat(pairs(t, resultsByRun.replace("results", "mmflow.mmflow.results")))
          .isEqualTo(resultsPerRunAfter);
      // the lineage view: every result joined to its run's row
      assertThat(
              pairs(pg, "SELECT coalesce(job, 'no run'), count(*) FROM result_lineage GROUP BY 1"))
          .containsOnlyKeys("documents");
      assertThat(pairs(t, runs.replace("job_runs", "mmflow.mmflow.job_runs"))).isEqualTo(pgRuns);
      assertThat(pgRuns.values()).contains(1L).anyMatch(n -> n > 1); // the second run read one
      String versions =
          "SELECT mmflow_version || ' ' || status, count(DISTINCT config_digest) FROM job_runs"
              + " GROUP BY 1";
      Map<String, Long> byVersion = pairs(pg, versions);
      assertThat(pairs(t, versions.replace("job_runs", "mmflow.mmflow.job_runs")))
          .isEqualTo(byVersion);
      // one build, both finished, two settings (their inputs differ)
      assertThat(byVersion).hasSize(1).containsValue(2L);
      assertThat(byVersion.keySet().iterator().next())
          .endsWith(" finished")
          .doesNotStartWith("unknown");
    }
  }

  /** The statements of a script, as bin/mmflow sql -f splits them. */
  static List<String> statements(Path script) throws Exception {
    return SqlScript.split(Files.readString(script));
  }

  /** A query of (key, count) rows, or of one count, as a map. */
  static Map<String, Long> pairs(Connection c, String query) throws Exception {
    Map<String, Long> out = new TreeMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs = TrinoServer.query(s, query)) {
      boolean single = rs.getMetaData().getColumnCount() == 1;
      while (rs.next()) {
        out.put(single ? "" : rs.getString(1), rs.getLong(single ? 1 : 2));
      }
    }
    return out;
  }

  static Map<String, Long> flinkPairs(SqlEnvironment flink, String query) throws Exception {
    Map<String, Long> out = new TreeMap<>();
    try (CloseableIterator<Row> it = flink.tables().executeSql(query).collect()) {
      while (it.hasNext()) {
        Row r = it.next();
        out.put((String) r.getField(0), ((Number) r.getField(1)).longValue());
      }
    }
    return out;
  }
}
