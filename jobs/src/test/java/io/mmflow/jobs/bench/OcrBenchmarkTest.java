package io.mmflow.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
}
