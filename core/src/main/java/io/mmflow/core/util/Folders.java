package io.mmflow.core.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** File-system helpers the embedded services and benchmarks share. */
public final class Folders {
  private Folders() {}

  /**
   * Deletes {@code dir} and everything below it, best effort: a temporary folder left behind is
   * harmless, so failures are ignored.
   */
  public static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }
}
