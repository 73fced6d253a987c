package io.mmflow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.core.config.MmflowConfig;
import io.mmflow.jobs.sql.SqlEnvironment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.api.TableEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive shell of bin/mmflow sql on a plain stream (what a terminal types): statements
 * over several lines run once complete, the history file keeps each whole statement across
 * sessions, and completion offers the mmflow functions, the models catalog and SQL keywords.
 */
class SqlShellTest {
  @TempDir static Path dir;
  static TableEnvironment sql;

  @BeforeAll
  static void open() {
    sql =
        SqlEnvironment.open(
                MmflowConfig.load(Map.of(), Map.of("mmflow.iceberg.enabled", "false")), false)
            .tables(); // nothing to close: no Iceberg catalog, no database
  }

  @Test
  void statementsSpanLinesAndTheHistoryKeepsThem() throws Exception {
    Path history = dir.resolve("data/sql_history");
    List<String> ran = new ArrayList<>();
    String typed = "SELECT 1 +\n  1 AS two;\nSHOW MODULES; SELECT 'a != b';\nquit;\nSELECT 3;\n";
    StringWriter banner = new StringWriter();
    SqlShell.run(
        sql,
        new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)),
        new ByteArrayOutputStream(),
        history,
        new PrintWriter(banner, true),
        ran::add);
    assertThat(ran).containsExactly("SELECT 1 +\n  1 AS two", "SHOW MODULES", "SELECT 'a != b'");
    assertThat(banner.toString()).contains("catalog 'ml'");
    // the next session sees the statements typed in this one, each whole
    String kept = Files.readString(history);
    assertThat(kept).contains("SELECT 1 +").contains("SHOW MODULES; SELECT 'a != b';");
  }

  @Test
  void completionOffersTheModulesFunctionsTheModelsAndKeywords() {
    assertThat(SqlShell.words(sql))
        .contains("mmf_ocr", "mmf_results", "mmf_language", "ML_PREDICT", "SELECT", "ml");
  }
}
