package io.mmflow.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The job graphs only wire sources, operators and sinks; starting embedded services, local
 * environments and summaries is the runner's. These checks keep the packages of {@code jobs/} so.
 */
class JobsLayoutTest {
  private static final Path ROOT = Path.of("src/main/java/io/mmflow/jobs");

  /** Each source file, by its path under {@code io/mmflow/jobs}, with its text. */
  private static Map<String, String> sources;

  @BeforeAll
  static void readSources() throws IOException {
    sources = new TreeMap<>();
    try (Stream<Path> files = Files.walk(ROOT)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        sources.put(ROOT.relativize(file).toString().replace('\\', '/'), read(file));
      }
    }
    assertThat(sources).containsKeys("runtime/JobRunner.java", "feeds/FeedsJob.java");
  }

  @Test
  void theRunnerImportsNoJob() {
    assertThat(
            filesIn("runtime/", "import io.mmflow.jobs.documents", "import io.mmflow.jobs.feeds"))
        .isEmpty();
  }

  @Test
  void jobGraphsStartNoEmbeddedService() {
    for (String graphs : List.of("documents/", "feeds/", "pipeline/")) {
      assertThat(filesIn(graphs, "import io.mmflow.connectors.embedded", "MiniCluster"))
          .as("job graphs under %s", graphs)
          .isEmpty();
    }
  }

  @Test
  void longFilesSayWhy() {
    assertThat(
            sources.entrySet().stream()
                .filter(e -> e.getValue().lines().count() > 400)
                .filter(e -> !e.getValue().contains("Why one long file:"))
                .map(Map.Entry::getKey)
                .toList())
        .as("files over 400 lines whose javadoc does not say 'Why one long file:'")
        .isEmpty();
  }

  /** The files under {@code dir} that contain any of {@code needles}. */
  private static List<String> filesIn(String dir, String... needles) {
    return sources.entrySet().stream()
        .filter(e -> e.getKey().startsWith(dir))
        .filter(e -> Stream.of(needles).anyMatch(e.getValue()::contains))
        .map(Map.Entry::getKey)
        .toList();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
