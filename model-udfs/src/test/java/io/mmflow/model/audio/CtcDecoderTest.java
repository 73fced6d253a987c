package io.mmflow.model.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CtcDecoderTest {
  /** The head of a wav2vec2-base-960h vocab.json. */
  private static final String VOCAB =
      """
      {"<pad>": 0, "<s>": 1, "</s>": 2, "<unk>": 3, "|": 4, "E": 5, "T": 6, "A": 7, "O": 8,
       "N": 9, "I": 10, "H": 11, "S": 12, "R": 13, "D": 14, "L": 15, "U": 16, "M": 17, "W": 18,
       "C": 19, "F": 20, "G": 21, "Y": 22, "P": 23, "B": 24, "V": 25, "K": 26, "'": 27, "X": 28,
       "J": 29, "Q": 30, "Z": 31}
      """;

  @TempDir Path dir;

  private CtcDecoder decoder() throws Exception {
    Path vocab = dir.resolve("vocab.json");
    Files.writeString(vocab, VOCAB, StandardCharsets.UTF_8);
    return CtcDecoder.load(vocab);
  }

  /**
   * Logits for a frame sequence written as tokens separated by spaces ("_" = blank), each frame
   * giving its token logit {@code high} and every other token 0.
   */
  private static float[][] frames(String spec, float high) {
    Map<String, Integer> ids = new java.util.HashMap<>();
    String[] order = VOCAB.replaceAll("[{}\\s\"]", "").split(",");
    for (String e : order) {
      int colon = e.lastIndexOf(':');
      ids.put(e.substring(0, colon), Integer.parseInt(e.substring(colon + 1)));
    }
    List<float[]> rows = new ArrayList<>();
    for (String tok : spec.trim().split("\\s+")) {
      float[] row = new float[32];
      row[ids.get(tok.equals("_") ? "<pad>" : tok)] = high;
      rows.add(row);
    }
    return rows.toArray(new float[0][]);
  }

  @Test
  void collapsesRepeatsDropsBlanksAndSplitsWords() throws Exception {
    // H H E _ L L _ L O O | | W O _ R L D D _
    CtcDecoder.Transcript t =
        decoder().decode(frames("_ H H E _ L L _ L O O | | W O _ R L D D _ _", 10f));

    assertThat(t.text()).isEqualTo("HELLO WORLD");
    assertThat(t.frames()).isEqualTo(22);
    assertThat(t.words()).extracting(CtcDecoder.Word::text).containsExactly("HELLO", "WORLD");
    CtcDecoder.Word hello = t.words().get(0);
    assertThat(hello.startFrame()).isEqualTo(1);
    assertThat(hello.endFrame()).isEqualTo(11);
    CtcDecoder.Word world = t.words().get(1);
    assertThat(world.startFrame()).isEqualTo(13);
    assertThat(world.endFrame()).isEqualTo(20);
    assertThat(world.startSeconds(0.02)).isCloseTo(0.26, within(1e-9));
    assertThat(world.endSeconds(0.02)).isCloseTo(0.40, within(1e-9));
  }

  @Test
  void repeatedLetterNeedsABlankBetween() throws Exception {
    CtcDecoder d = decoder();
    assertThat(d.decode(frames("L L L", 5f)).text()).isEqualTo("L");
    assertThat(d.decode(frames("L _ L", 5f)).text()).isEqualTo("LL");
  }

  @Test
  void delimitersAndSpecialTokensAtTheEdgesLeaveNoExtraSpaces() throws Exception {
    CtcDecoder.Transcript t = decoder().decode(frames("| <s> I | | _ | A M <unk> | </s> |", 8f));
    assertThat(t.text()).isEqualTo("I AM");
    assertThat(t.words()).hasSize(2);
  }

  @Test
  void confidenceIsTheMeanMaxSoftmaxOfEmittingFrames() throws Exception {
    // 32 classes; a frame with logit x on one token and 0 elsewhere has p = e^x / (e^x + 31).
    float[][] logits = frames("A _ B", 2f);
    logits[2] = frames("B", 0f)[0]; // flat frame: argmax is index 0 = blank
    logits[2][24] = 4f; // B
    double pA = Math.exp(2) / (Math.exp(2) + 31);
    double pB = Math.exp(4) / (Math.exp(4) + 31);

    CtcDecoder.Transcript t = decoder().decode(logits);

    assertThat(t.text()).isEqualTo("AB");
    assertThat(t.confidence()).isCloseTo((pA + pB) / 2, within(1e-6));
    assertThat(t.words().get(0).confidence()).isCloseTo((pA + pB) / 2, within(1e-6));
  }

  @Test
  void allBlankIsEmptyTextWithBlankConfidence() throws Exception {
    CtcDecoder.Transcript t = decoder().decode(frames("_ _ _", 3f));
    double p = Math.exp(3) / (Math.exp(3) + 31);
    assertThat(t.text()).isEmpty();
    assertThat(t.words()).isEmpty();
    assertThat(t.confidence()).isCloseTo(p, within(1e-6));
    assertThat(decoder().decode(new float[0][]).confidence()).isZero();
  }

  @Test
  void flatBufferDecodesLikeRows() throws Exception {
    float[][] rows = frames("_ C A T _ _ S", 6f);
    float[] flat = new float[rows.length * 32];
    for (int t = 0; t < rows.length; t++) {
      System.arraycopy(rows[t], 0, flat, t * 32, 32);
    }
    CtcDecoder d = decoder();
    assertThat(d.decode(flat, rows.length, 32)).isEqualTo(d.decode(rows));
    assertThat(d.decode(flat, rows.length, 32).text()).isEqualTo("CATS");
  }

  @Test
  void customBlankAndDelimiter() {
    CtcDecoder d = CtcDecoder.of(Map.of("-", 0, " ", 1, "a", 2, "b", 3), "-", " ");
    float[][] logits = {{0, 0, 9, 0}, {9, 0, 0, 0}, {0, 9, 0, 0}, {0, 0, 0, 9}, {0, 0, 0, 9}};
    assertThat(d.decode(logits).text()).isEqualTo("a b");
    assertThat(d.vocabularySize()).isEqualTo(4);
  }

  @Test
  void badVocabularyOrShapeIsReported() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "[1, 2]");
    assertThatThrownBy(() -> CtcDecoder.load(bad))
        .isInstanceOf(MmflowException.class)
        .extracting(e -> ((MmflowException) e).code())
        .isEqualTo(ErrorCode.CONFIGURATION_INVALID);
    Path noBlank = dir.resolve("noblank.json");
    Files.writeString(noBlank, "{\"A\": 0}");
    assertThatThrownBy(() -> CtcDecoder.load(noBlank)).hasMessageContaining("<pad>");
    assertThatThrownBy(() -> decoder().decode(new float[][] {{1f, 2f}}))
        .isInstanceOf(MmflowException.class)
        .extracting(e -> ((MmflowException) e).code())
        .isEqualTo(ErrorCode.MODEL_FAILURE);
  }
}
