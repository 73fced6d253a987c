package io.mmflow.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.core.config.MmflowConfig;
import io.mmflow.core.config.RuntimeOptions;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both sides of bench sql run on a MiniCluster over the shipped sentiment model: every text comes
 * back ok through ML_PREDICT and through the operator, and the rates make the RESULT line.
 */
class SqlBenchmarkITCase {
  static final Path CORPUS =
      Path.of(System.getProperty("mmflow.repo.root", "..")).resolve("datasets/sentiment");

  @TempDir Path dir;

  @Test
  void bothSidesAnswerEveryTextAndMakeTheResultLine() throws Exception {
    Configuration config = MmflowConfig.load(Map.of(), Map.of());
    config.set(RuntimeOptions.DATA_DIR, dir.toString());
    SqlBenchmark.Figures f =
        SqlBenchmark.run(
            CORPUS,
            config,
            "sentiment-en",
            300,
            32,
            new PrintStream(OutputStream.nullOutputStream()));
    assertThat(f.sqlRps()).isPositive();
    assertThat(f.operatorRps()).isPositive();
    assertThat(f.resultLine())
        .startsWith("RESULT bench=sql model=sentiment-en onnx_ratio=")
        .contains(" sql_rps=")
        .contains(" operator_rps=");
  }
}
