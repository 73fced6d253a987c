package io.mmflow.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.core.config.MmflowConfig;
import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.datasets.ocr.OcrPageGenerator;
import io.mmflow.datasets.ocr.OcrPageGenerator.Condition;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both sides of bench sql run on a MiniCluster: the shipped sentiment model and the loopback
 * provider, every text answered ok through ML_PREDICT and through the DataStream stages, and the
 * rates make the RESULT line; generated pages read through MMF_RESULTS and by the documents job
 * with the same text.
 */
class SqlBenchmarkITCase {
  static final Path CORPUS =
      Path.of(System.getProperty("mmflow.repo.root", "..")).resolve("datasets/sentiment");

  @TempDir Path dir;

  @Test
  void bothSidesAnswerEveryTextAndMakeTheResultLine() throws Exception {
    Configuration config = MmflowConfig.load(Map.of(), Map.of());
    config.set(RuntimeOptions.DATA_DIR, dir.toString());
    Path pages = dir.resolve("pages");
    OcrPageGenerator.generate(pages, 2, 7L, EnumSet.of(Condition.CLEAN_300));
    SqlBenchmark.Figures f =
        SqlBenchmark.run(
            CORPUS,
            config,
            "sentiment-en",
            300,
            32,
            new SqlBenchmark.RemoteLoad(20, 5, 300, 100),
            new SqlOcrBenchmark.OcrLoad(pages, 2, 1),
            new PrintStream(OutputStream.nullOutputStream()));
    assertThat(f.local().sqlRps()).isPositive();
    assertThat(f.local().operatorRps()).isPositive();
    assertThat(f.remote().sqlRps()).isPositive();
    assertThat(f.remote().stageRps()).isPositive();
    // the pages read through SQL and by the job, the same text
    assertThat(f.ocr().pages()).isEqualTo(2);
    assertThat(f.ocr().sqlPagesPerSecond()).isPositive();
    assertThat(f.ocr().jobPagesPerSecond()).isPositive();
    assertThat(f.ocr().jobCer()).isLessThan(0.05);
    assertThat(f.ocr().sqlCer()).isEqualTo(f.ocr().jobCer());
    assertThat(f.resultLine())
        .startsWith("RESULT bench=sql onnx_ratio=")
        .contains(" remote_ratio_mlpredict=")
        .contains(" ocr_ratio=")
        .contains(" model=sentiment-en ");
  }
}
