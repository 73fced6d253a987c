package io.mmflow.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.core.config.MmflowConfig;
import io.mmflow.core.model.BoundingBox;
import io.mmflow.datasets.ocr.OcrPageGenerator;
import io.mmflow.operators.preprocess.ocr.ContentCrop;
import io.mmflow.operators.preprocess.ocr.GrayImage;
import io.mmflow.operators.preprocess.ocr.OcrPreprocessing;
import io.mmflow.operators.preprocess.ocr.OcrPreprocessingOptions;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OcrBenchmarkTest {
  @TempDir Path dir;

  private Path page(String name, int bytes) throws Exception {
    return Files.write(dir.resolve(name), new byte[bytes]);
  }

  @Test
  void sharesForTheCliAreBalancedByFileSizeNotDealtOutInTurn() throws Exception {
    // dealt out in name order, the large pages (a, c, e) would all go to the first process
    List<Path> pages =
        List.of(
            page("a.png", 900),
            page("b.png", 100),
            page("c.png", 800),
            page("d.png", 100),
            page("e.png", 700),
            page("f.png", 600));

    List<List<Path>> shares = OcrBenchmark.balancedShares(pages, 2);

    assertThat(shares).hasSize(2);
    List<Path> all = new ArrayList<>();
    shares.forEach(all::addAll);
    assertThat(all).containsExactlyInAnyOrderElementsOf(pages);
    long[] bytes = new long[2];
    for (int i = 0; i < 2; i++) {
      for (Path p : shares.get(i)) {
        bytes[i] += Files.size(p);
      }
      assertThat(shares.get(i)).isSorted();
    }
    // 900 + 600 + 100 = 1,600 against 800 + 700 + 100 = 1,600
    assertThat(bytes[0]).isEqualTo(bytes[1]);
    assertThat(OcrBenchmark.balancedShares(pages, 2)).isEqualTo(shares);
  }

  @Test
  void moreProcessesThanPagesLeaveSomeListsEmpty() throws Exception {
    List<Path> pages = List.of(page("a.png", 10), page("b.png", 20));

    List<List<Path>> shares = OcrBenchmark.balancedShares(pages, 3);

    assertThat(shares).hasSize(3);
    assertThat(shares.stream().mapToInt(List::size).sum()).isEqualTo(2);
  }

  @Test
  void theCliIsAlsoGivenEachPageAsTheJobGivesItToTesseract() throws Exception {
    // a clean 300-DPI page and a 150-DPI one: each comes back preprocessed, cut to its content box
    // (smaller than the page), with its resolution recorded for the CLI
    OcrPageGenerator.generate(
        dir.resolve("pages"),
        1,
        7L,
        EnumSet.of(OcrPageGenerator.Condition.CLEAN_300, OcrPageGenerator.Condition.CLEAN_150));
    List<Path> images = OcrBenchmark.images(dir.resolve("pages"));
    assertThat(images).hasSize(2);
    Configuration config = MmflowConfig.load(Map.of(), Map.of());

    List<Path> prepared =
        OcrBenchmark.preparedPages(images, config, Files.createDirectories(dir.resolve("out")));

    assertThat(prepared).hasSize(2);
    OcrPreprocessing chain = OcrPreprocessingOptions.from(config);
    for (int i = 0; i < 2; i++) {
      BufferedImage page = ImageIO.read(images.get(i).toFile());
      int dpi = OcrPageGenerator.dpiOf(images.get(i));
      OcrPreprocessing.Result r = chain.apply(GrayImage.from(page), dpi);
      BoundingBox box = r.content();
      BufferedImage cut = ImageIO.read(prepared.get(i).toFile());
      assertThat(ContentCrop.isWhole(box, page.getWidth(), page.getHeight())).isFalse();
      assertThat(cut.getWidth()).isEqualTo(box.width());
      assertThat(cut.getHeight()).isEqualTo(box.height());
      assertThat(OcrPageGenerator.dpiOf(prepared.get(i))).isEqualTo(dpi);
      for (int y = 0; y < box.height(); y++) {
        for (int x = 0; x < box.width(); x++) {
          int expected = r.image().pixels[(box.y() + y) * r.image().width + box.x() + x] & 0xFF;
          if (cut.getRaster().getSample(x, y, 0) != expected) {
            throw new AssertionError("pixel " + x + "," + y + " of page " + i);
          }
        }
      }
    }
  }
}
