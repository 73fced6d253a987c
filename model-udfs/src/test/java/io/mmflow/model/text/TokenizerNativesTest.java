package io.mmflow.model.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two class loaders in one JVM each tokenize with the native tokenizers library, as two jobs (or a
 * job and its upgrade from a savepoint) on one Flink TaskManager do: each user-code class loader
 * must load its own copy of the library (before, the second failed with "already loaded in another
 * classloader").
 */
class TokenizerNativesTest {
  static final Path TOKENIZER =
      Path.of("src/main/resources/models/sentiment-en/tokenizer.json").toAbsolutePath();

  @Test
  void twoClassLoadersEachTokenize() throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      urls.add(Path.of(entry).toUri().toURL());
    }
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    long copiesBefore = copies(tmp);
    for (int job = 0; job < 2; job++) {
      // like Flink's user-code class loader: mmflow's and DJL's classes loaded anew, not shared
      try (URLClassLoader loader =
          new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
        Class<?> tokenizer = loader.loadClass(TextTokenizer.class.getName());
        assertThat(tokenizer).isNotSameAs(TextTokenizer.class);
        Object t = tokenizer.getConstructor(Path.class, int.class).newInstance(TOKENIZER, 16);
        String[] tokens = (String[]) tokenizer.getMethod("tokens", String.class).invoke(t, "great");
        assertThat(tokens).containsExactly("[CLS]", "great", "[SEP]");
        ((AutoCloseable) t).close();
      }
    }
    // each copy is deleted once loaded: a TaskManager's jobs leave no 15-MB files behind
    assertThat(copies(tmp)).isEqualTo(copiesBefore);
  }

  private static long copies(Path tmp) throws java.io.IOException {
    try (var files = java.nio.file.Files.list(tmp)) {
      return files.filter(f -> f.getFileName().toString().startsWith("mmflow-tokenizers")).count();
    }
  }
}
