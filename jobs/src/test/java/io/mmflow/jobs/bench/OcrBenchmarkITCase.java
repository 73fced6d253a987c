package io.mmflow.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mmflow.core.config.MmflowConfig;
import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.datasets.ocr.OcrPageGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's job side on a MiniCluster with real Tesseract: timed from the job's accumulators. */
class OcrBenchmarkITCase {
  @TempDir Path dir;

  private Configuration config() {
    Configuration c = MmflowConfig.load(Map.of(), Map.of());
    c.set(RuntimeOptions.DATA_DIR, dir.resolve("data").toString());
    return c;
  }

  @Test
  void theJobsRateComesFromTheSpanOfItsOcrResults() throws Exception {
    OcrPageGenerator.generate(dir.resolve("pages"), 1, 7L);
    Path clean = dir.resolve("pages/clean-300");
    assertThat(OcrBenchmark.images(clean)).hasSize(1);

    double rate = OcrBenchmark.jobPagesPerSecond(clean, config(), 1, 1);

    // one 300-DPI page takes Tesseract a few hundred milliseconds on any machine
    assertThat(rate).isBetween(0.05, 50.0);
  }

  @Test
  void aFolderWithoutPagesIsAClearErrorNotARate() throws Exception {
    Path input = Files.createDirectories(dir.resolve("text-only"));
    Files.writeString(input.resolve("notes.txt"), "no page images here");

    assertThatThrownBy(() -> OcrBenchmark.jobPagesPerSecond(input, config(), 1, 0))
        .isInstanceOf(MmflowException.class)
        .satisfies(
            e -> assertThat(((MmflowException) e).code()).isEqualTo(ErrorCode.INTERNAL_ERROR))
        .hasMessageContaining("read no text");
  }
}
