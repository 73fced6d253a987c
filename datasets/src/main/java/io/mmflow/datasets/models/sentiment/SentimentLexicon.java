package io.mmflow.datasets.models.sentiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Word valences, {@code word<TAB>valence} per line (-4 most negative to +4 most positive): VADER's
 * lexicon, words only, in datasets/sentiment/lexicon (Hutto and Gilbert, ICWSM 2014; Apache License
 * 2.0 in the vaderSentiment-js package).
 */
public final class SentimentLexicon {
  /** Where the lexicon is, under the corpus folder. */
  public static final String FILE = "lexicon/vader-words.tsv";

  /** No words: a model trained with it is plain naive Bayes. */
  public static final Map<String, Double> NONE = Map.of();

  private SentimentLexicon() {}

  /** The lexicon of {@code corpusDir}, or {@link #NONE} when it has none. */
  public static Map<String, Double> of(Path corpusDir) throws IOException {
    Path file = corpusDir.resolve(FILE);
    return Files.isRegularFile(file) ? read(file) : NONE;
  }

  public static Map<String, Double> read(Path file) throws IOException {
    Map<String, Double> out = new TreeMap<>();
    int lineNo = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      int tab = line.indexOf('\t');
      try {
        out.put(line.substring(0, tab), Double.parseDouble(line.substring(tab + 1).trim()));
      } catch (RuntimeException e) {
        throw new IOException("%s:%d: expected 'word<TAB>valence'".formatted(file, lineNo), e);
      }
    }
    return out;
  }
}
