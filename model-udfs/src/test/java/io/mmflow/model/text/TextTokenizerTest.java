package io.mmflow.model.text;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link TextTokenizer#encodeRows} tokenizes one text at a time on the caller's thread: the rows
 * must be those of the library's own batch call (which spreads a batch over a thread pool), for
 * every review of the sentiment corpus and for texts at the edges (empty, accented, emoji, over the
 * token budget).
 */
class TextTokenizerTest {
  private static final int MAX_TOKENS = 64;

  @Test
  void rowsAreTheLibrarysBatchEncodings() throws Exception {
    List<String> texts = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("../datasets/sentiment/imdb_labelled.txt"))) {
      texts.add(line.split("\t")[0]);
    }
    texts.addAll(
        List.of(
            "", "Crème brûlée, naïve café — très bien!", "great 👍🏽 movie", "word ".repeat(200)));
    try (TextTokenizer tokenizer = new TextTokenizer(TokenizerNativesTest.TOKENIZER, MAX_TOKENS);
        HuggingFaceTokenizer library =
            HuggingFaceTokenizer.builder()
                .optTokenizerPath(TokenizerNativesTest.TOKENIZER)
                .optAddSpecialTokens(true)
                .optTruncation(true)
                .optMaxLength(MAX_TOKENS)
                .optPadding(false)
                .build()) {
      TextTokenizer.Rows rows = tokenizer.encodeRows(texts);
      Encoding[] expected = library.batchEncode(texts);
      assertThat(rows.size()).isEqualTo(texts.size()).isGreaterThan(900);
      for (int r = 0; r < texts.size(); r++) {
        assertThat(rows.ids()[r]).as(texts.get(r)).containsExactly(expected[r].getIds());
        assertThat(rows.typeIds()[r]).containsExactly(expected[r].getTypeIds());
        assertThat(rows.truncated()[r]).isEqualTo(expected[r].exceedMaxLength());
      }
      int last = texts.size() - 1;
      assertThat(rows.truncated()[last]).isTrue();
      assertThat(rows.ids()[last]).hasSize(MAX_TOKENS);
      assertThat(rows.ids()[last - 3]).hasSize(2); // the empty text: [CLS] [SEP]
    }
  }
}
