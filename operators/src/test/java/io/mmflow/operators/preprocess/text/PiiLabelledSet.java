package io.mmflow.operators.preprocess.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads datasets/pii/pii-labelled.tsv (format: datasets/pii/README.md). */
record PiiLabelledSet(List<Line> lines) {

  /** One labelled line: the text and its PII in order of appearance (empty: none). */
  record Line(int number, String text, List<Label> labels) {}

  record Label(PiiType type, String value) {}

  static PiiLabelledSet load() {
    Path file = repoRoot().resolve("datasets/pii/pii-labelled.tsv");
    try {
      List<Line> lines = new ArrayList<>();
      List<String> raw = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < raw.size(); i++) {
        String[] columns = raw.get(i).split("\t", -1);
        if (columns.length != 2) {
          throw new IllegalStateException(
              file + ":" + (i + 1) + ": expected 2 tab-separated columns");
        }
        List<Label> labels = new ArrayList<>();
        if (!columns[1].isEmpty()) {
          for (String label : columns[1].split("\\|")) {
            int colon = label.indexOf(':');
            labels.add(
                new Label(PiiType.valueOf(label.substring(0, colon)), label.substring(colon + 1)));
          }
        }
        lines.add(new Line(i + 1, columns[0], List.copyOf(labels)));
      }
      return new PiiLabelledSet(List.copyOf(lines));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The project root: {@code mmflow.repo.root} (set by the build), else the nearest parent of the
   * working directory holding datasets/.
   */
  static Path repoRoot() {
    String configured = System.getProperty("mmflow.repo.root");
    if (configured != null && Files.isDirectory(Path.of(configured, "datasets", "pii"))) {
      return Path.of(configured);
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("datasets").resolve("pii"))) {
        return p;
      }
    }
    throw new IllegalStateException("no datasets/pii above " + Path.of("").toAbsolutePath());
  }
}
