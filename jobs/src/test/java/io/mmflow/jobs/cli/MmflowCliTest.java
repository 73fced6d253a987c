package io.mmflow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users get one clear line for every mistake, never a stack trace. */
class MmflowCliTest {
  @TempDir Path dir;

  record Outcome(int code, String out, String err) {}

  Outcome run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] withDataDir = new String[args.length + 2];
    System.arraycopy(args, 0, withDataDir, 0, args.length);
    withDataDir[args.length] = "--data-dir";
    withDataDir[args.length + 1] = dir.resolve("data").toString();
    int code =
        MmflowCli.execute(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            args.length > 0 && args[0].equals("run") ? withDataDir : args);
    return new Outcome(code, out.toString(), err.toString());
  }

  static void assertOneLine(Outcome o, int code, String message) {
    assertThat(o.code()).isEqualTo(code);
    assertThat(o.err().lines().findFirst().orElse("")).isEqualTo(message);
    assertThat(o.err().lines().count()).isEqualTo(2);
    assertThat(o.err()).doesNotContain("\tat ").doesNotContain("Exception");
  }

  @Test
  void helpOfEveryCommandHasExamples() {
    for (String cmd :
        new String[] {
          "demo", "run", "query", "sql", "trino", "eval", "bench", "options", "feed", "schema"
        }) {
      Outcome o = run(cmd, "--help");
      assertThat(o.code()).as(cmd).isZero();
      assertThat(o.out()).as(cmd).contains("Usage: mmflow " + cmd).contains("Example");
    }
    assertThat(run("--help").out()).contains("demo").contains("run").contains("query");
  }

  @Test
  void schemaPrintsTheTablesOfBothStores() {
    Outcome postgres = run("schema", "postgres");
    assertThat(postgres.code()).isZero();
    assertThat(postgres.out())
        .contains("CREATE TABLE IF NOT EXISTS results")
        .contains("PRIMARY KEY (item_id, part_id, task, model_version)")
        .contains("CREATE OR REPLACE VIEW fused_latest");
    Outcome iceberg = run("schema", "iceberg");
    assertThat(iceberg.code()).isZero();
    assertThat(iceberg.out())
        .contains("-- results and late_results")
        .contains("4: model_version: required string")
        .contains("-- fused_results");
  }

  @Test
  void sqlRunsStatementsWithTheModuleLoaded() {
    Outcome o =
        run(
            "sql",
            "-D",
            "mmflow.iceberg.enabled=false",
            "-e",
            "CREATE TEMPORARY VIEW t AS SELECT 'mail anna@example.org' AS s;"
                + " SELECT MMF_REDACT(s) AS redacted, MMF_SHA256(CAST(s AS BYTES)) AS sha FROM t");
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out())
        .contains("OK")
        .contains("| redacted ")
        .contains("mail [EMAIL]")
        .contains("1 row");
    Outcome bad = run("sql", "-D", "mmflow.iceberg.enabled=false", "-e", "SELECT 1; SELECT nope");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err().lines().findFirst().orElse(""))
        .startsWith("mmflow: error MMF-3003 CONFIGURATION_INVALID: statement 2 of 2 failed:")
        .contains("nope");
  }

  @Test
  void unknownOptionAndMissingJob() {
    assertOneLine(run("run", "documents", "--bogus"), 2, "mmflow: Unknown option: '--bogus'");
    Outcome missing = run("query");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).startsWith("mmflow: Missing required parameters: 'ENGINE', 'SQL'");
  }

  @Test
  void unknownEvaluationOrBenchmark() {
    for (String[] c :
        new String[][] {
          {"eval", "[corpus, ocr, sentiment]"},
          {"bench", "[backfill, documents, ocr, onnx, remote, sql, stream]"}
        }) {
      String command = c[0];
      Outcome o = run(command, "videos");
      assertThat(o.code()).as(command).isEqualTo(2);
      assertThat(o.err())
          .as(command)
          .startsWith(
              "mmflow: Invalid value for positional parameter at index 0 (WHAT): expected one of "
                  + c[1]);
    }
  }

  @Test
  void unknownJob() {
    assertOneLine(
        run("run", "videos"),
        1,
        "mmflow: error MMF-3003 CONFIGURATION_INVALID: unknown job 'videos'; available: documents, feeds");
  }

  @Test
  void missingInput() {
    assertOneLine(
        run("run", "documents"),
        1,
        "mmflow: error MMF-3003 CONFIGURATION_INVALID: no input given: pass --input DIR or set"
            + " mmflow.source.path");
    assertOneLine(
        run("run", "documents", "--input", dir.resolve("nope").toString()),
        1,
        "mmflow: error MMF-3003 CONFIGURATION_INVALID: input not found: " + dir.resolve("nope"));
  }

  @Test
  void badConfiguration() throws Exception {
    assertOneLine(
        run("run", "documents", "--config", dir.resolve("missing.yaml").toString()),
        1,
        "mmflow: error MMF-3003 CONFIGURATION_INVALID: config file not found: "
            + dir.resolve("missing.yaml"));
    Path typo = dir.resolve("typo.yaml");
    Files.writeString(typo, "mmflow.source.max-byte: 1mb\n");
    assertOneLine(
        run("run", "documents", "--config", typo.toString()),
        1,
        "mmflow: error MMF-3003 CONFIGURATION_INVALID: unknown configuration key"
            + " 'mmflow.source.max-byte' (did you mean 'mmflow.source.max-bytes'?)");
    assertOneLine(
        run("run", "documents", "-D", "mmflow.runtime.parallelism=lots"),
        1,
        "mmflow: error MMF-3003 CONFIGURATION_INVALID: invalid value 'lots' for"
            + " mmflow.runtime.parallelism: For input string: \"lots\"");
  }

  @Test
  void feedNeedsABrokerAndAValidMix() {
    assertOneLine(
        run("feed", "--rate", "10", "--duration", "1"),
        1,
        "mmflow: error MMF-3003 CONFIGURATION_INVALID: no Kafka broker to write to: pass"
            + " --bootstrap-servers HOST:PORT or set mmflow.kafka.bootstrap-servers (a feeds job"
            + " without it starts an embedded broker and prints its address)");
    assertOneLine(
        run("feed", "--bootstrap-servers", "127.0.0.1:1", "--mix", "video=1"),
        1,
        "mmflow: error MMF-3003 CONFIGURATION_INVALID: mix entries are text=F, image=F, audio=F"
            + " with F in [0, 1], was: 'video=1'");
  }

  @Test
  void optionsListsEveryKey() {
    Outcome o = run("options");
    assertThat(o.code()).isZero();
    assertThat(o.out())
        .contains("mmflow.source.path")
        .contains("mmflow.postgres.url")
        .contains("mmflow.extract.parse-timeout");
  }
}
