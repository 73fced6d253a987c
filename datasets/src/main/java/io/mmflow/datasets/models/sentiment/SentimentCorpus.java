package io.mmflow.datasets.models.sentiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Labelled sentences, {@code sentence<TAB>label} per line (1 positive, 0 negative), as in the UCI
 * "Sentiment Labelled Sentences" files in datasets/sentiment (Kotzias et al., KDD 2015, CC BY 4.0).
 *
 * <p>{@link #split} makes the one fixed split every figure uses: the lines of all files in name
 * order, shuffled with seed {@value #SEED}, then 60% train, 20% validation (for the temperature),
 * 20% test (held out).
 */
public final class SentimentCorpus {
  public static final long SEED = 42;

  /** One labelled sentence. */
  public record Example(String text, int label) {}

  /** The fixed split. */
  public record Split(List<Example> train, List<Example> validation, List<Example> test) {}

  private SentimentCorpus() {}

  /** Every example of every {@code *.txt} file in {@code dir} (name order), or of one file. */
  public static List<Example> read(Path dirOrFile) throws IOException {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(dirOrFile)) {
      try (Stream<Path> s = Files.list(dirOrFile)) {
        s.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().forEach(files::add);
      }
    } else {
      files.add(dirOrFile);
    }
    List<Example> out = new ArrayList<>();
    for (Path f : files) {
      int lineNo = 0;
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        int tab = line.lastIndexOf('\t');
        String label = tab < 0 ? "" : line.substring(tab + 1).trim();
        if (tab < 0 || !(label.equals("0") || label.equals("1"))) {
          throw new IOException(
              "%s:%d: expected 'sentence<TAB>label' with label 1 or 0".formatted(f, lineNo));
        }
        out.add(new Example(line.substring(0, tab).trim(), Integer.parseInt(label)));
      }
    }
    if (out.isEmpty()) {
      throw new IOException("no labelled sentences in " + dirOrFile);
    }
    return out;
  }

  public static Split split(List<Example> all) {
    List<Example> shuffled = new ArrayList<>(all);
    Collections.shuffle(shuffled, new Random(SEED));
    int n = shuffled.size();
    int trainEnd = (int) (n * 0.6);
    int validationEnd = (int) (n * 0.8);
    return new Split(
        List.copyOf(shuffled.subList(0, trainEnd)),
        List.copyOf(shuffled.subList(trainEnd, validationEnd)),
        List.copyOf(shuffled.subList(validationEnd, n)));
  }
}
