package io.mmflow.operators;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layout of {@code operators/} is the data flow (validate → preprocess → infer →
 * normalize → fusion), and these checks keep it so: where a result is built, which way the packages
 * import each other, and that a long file says why it is long.
 */
class OperatorsLayoutTest {
  private static final Path ROOT = Path.of("src/main/java/io/mmflow/operators");
  private static final Pattern OPERATOR_IMPORT =
      Pattern.compile(
          "^import (?:static )?io\\.mmflow\\.operators\\.([a-z]+)\\.", Pattern.MULTILINE);

  /** Each source file, by its path under {@code io/mmflow/operators}, with its text. */
  private static Map<String, String> sources;

  @BeforeAll
  static void readSources() throws IOException {
    sources = new TreeMap<>();
    try (Stream<Path> files = Files.walk(ROOT)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        sources.put(ROOT.relativize(file).toString().replace('\\', '/'), read(file));
      }
    }
    assertThat(sources).as("sources under %s", ROOT.toAbsolutePath()).hasSizeGreaterThan(50);
  }

  @Test
  void onlyNormalizeBuildsResults() {
    assertThat(filesWhere((path, text) -> text.contains("ModalityResult.builder()")))
        .allMatch(path -> path.startsWith("normalize/"), "is under normalize/");
  }

  @Test
  void preprocessIsALibraryThatImportsNoStage() {
    assertThat(importsFrom("preprocess/")).containsOnly("preprocess");
  }

  @Test
  void normalizeImportsNoOperatorStage() {
    assertThat(importsFrom("normalize/")).isSubsetOf(List.of("preprocess", "normalize"));
  }

  @Test
  void earlierStagesDoNotImportLaterOnes() {
    assertThat(importsFrom("validate/")).doesNotContain("infer", "normalize", "fusion");
    assertThat(importsFrom("fusion/")).doesNotContain("infer", "validate", "preprocess");
  }

  @Test
  void longFilesSayWhy() {
    assertThat(
            filesWhere(
                (path, text) -> text.lines().count() > 400 && !text.contains(LONG_FILE_REASON)))
        .as(
            "files over 400 lines whose javadoc does not start a sentence with '%s'",
            LONG_FILE_REASON)
        .isEmpty();
  }

  /** The phrase with which a file over 400 lines gives the reason in its javadoc. */
  static final String LONG_FILE_REASON = "Why one long file:";

  /**
   * The first package under {@code io.mmflow.operators} of each import in files under {@code dir}.
   */
  private static List<String> importsFrom(String dir) {
    return sources.entrySet().stream()
        .filter(e -> e.getKey().startsWith(dir))
        .flatMap(
            e -> {
              Matcher m = OPERATOR_IMPORT.matcher(e.getValue());
              return m.results().map(r -> r.group(1));
            })
        .distinct()
        .toList();
  }

  private static List<String> filesWhere(java.util.function.BiPredicate<String, String> test) {
    return sources.entrySet().stream()
        .filter(e -> test.test(e.getKey(), e.getValue()))
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
