package io.mmflow.model.audio;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Greedy (best-path) decoding of CTC output, A. Graves, S. Fernández, F. Gomez and J. Schmidhuber,
 * "Connectionist temporal classification", ICML 2006: take the most likely token of every frame,
 * collapse runs of the same token, drop the blank token. This is what Hugging Face's {@code
 * Wav2Vec2CTCTokenizer} does for wav2vec2 / HuBERT / MMS exports: the vocabulary is a {@code
 * vocab.json} mapping tokens to logit indices, e.g. {@code {"<pad>": 0, "<s>": 1, "</s>": 2,
 * "<unk>": 3, "|": 4, "E": 5, ...}}, where {@code <pad>} is the CTC blank and {@code |} separates
 * words.
 *
 * <p>Output text: the word delimiter becomes a space, runs of spaces collapse to one and the text
 * is trimmed; other special tokens ({@code <...>}, e.g. {@code <s>}, {@code <unk>}) are dropped.
 * Letters keep the vocabulary's case (wav2vec2 English models are upper case).
 *
 * <p>Frame spans are in model frames; multiply by the model's stride to get time (wav2vec2: 320
 * samples at 16 kHz, 20 ms). Immutable and thread-safe.
 */
public final class CtcDecoder implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Hugging Face's default blank (pad) token. */
  public static final String DEFAULT_BLANK = "<pad>";

  /** Hugging Face's default word delimiter. */
  public static final String DEFAULT_WORD_DELIMITER = "|";

  /**
   * A word and the frames it spans.
   *
   * @param text the word
   * @param startFrame first frame of its first token
   * @param endFrame one past the last frame of its last token
   * @param confidence mean max-softmax probability over its tokens' frames, in [0, 1]
   */
  public record Word(String text, int startFrame, int endFrame, double confidence)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Start time in seconds for a model stride of {@code frameSeconds} (wav2vec2: 0.02). */
    public double startSeconds(double frameSeconds) {
      return startFrame * frameSeconds;
    }

    /** End time in seconds for a model stride of {@code frameSeconds}. */
    public double endSeconds(double frameSeconds) {
      return endFrame * frameSeconds;
    }
  }

  /**
   * A decoded transcript.
   *
   * @param text the words separated by single spaces; empty when nothing was said
   * @param words the words with their frame spans, in order
   * @param confidence mean over the frames that emit a token (not blank) of the largest softmax
   *     probability; over all frames when none emits one; 0 for no frames. In [0, 1]
   * @param frames number of frames decoded
   */
  public record Transcript(String text, List<Word> words, double confidence, int frames)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    public Transcript {
      Objects.requireNonNull(text, "text");
      words = List.copyOf(words);
    }
  }

  private final String[] tokens; // by logit index; null where the vocabulary has no token
  private final int blank;
  private final int delimiter; // -1: none in the vocabulary

  private CtcDecoder(Map<String, Integer> vocab, String blankToken, String delimiterToken) {
    Objects.requireNonNull(vocab, "vocab");
    int size = 0;
    for (Map.Entry<String, Integer> e : vocab.entrySet()) {
      Integer id = e.getValue();
      if (e.getKey() == null || id == null || id < 0) {
        throw new IllegalArgumentException("bad vocabulary entry " + e);
      }
      size = Math.max(size, id + 1);
    }
    tokens = new String[size];
    for (Map.Entry<String, Integer> e : vocab.entrySet()) {
      if (tokens[e.getValue()] != null) {
        throw new IllegalArgumentException(
            "tokens "
                + tokens[e.getValue()]
                + " and "
                + e.getKey()
                + " share index "
                + e.getValue());
      }
      tokens[e.getValue()] = e.getKey();
    }
    Integer b = vocab.get(Objects.requireNonNull(blankToken, "blankToken"));
    if (b == null) {
      throw new IllegalArgumentException("the vocabulary has no blank token " + blankToken);
    }
    blank = b;
    delimiter = vocab.getOrDefault(Objects.requireNonNull(delimiterToken, "delimiter"), -1);
  }

  /** A decoder over {@code vocab} (token → logit index). */
  public static CtcDecoder of(Map<String, Integer> vocab, String blankToken, String wordDelimiter) {
    return new CtcDecoder(vocab, blankToken, wordDelimiter);
  }

  /** Loads a {@code vocab.json} with the default blank and delimiter. */
  public static CtcDecoder load(Path vocabJson) {
    return load(vocabJson, DEFAULT_BLANK, DEFAULT_WORD_DELIMITER);
  }

  /**
   * Loads a {@code vocab.json}; a missing or malformed file is a {@link
   * ErrorCode#CONFIGURATION_INVALID} error.
   */
  public static CtcDecoder load(Path vocabJson, String blankToken, String wordDelimiter) {
    try (InputStream in = Files.newInputStream(vocabJson)) {
      return of(readVocabulary(in), blankToken, wordDelimiter);
    } catch (IOException | IllegalArgumentException e) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "cannot load the CTC vocabulary " + vocabJson + ": " + e.getMessage(),
          e);
    }
  }

  /** Reads a JSON object of token → index. */
  public static Map<String, Integer> readVocabulary(InputStream json) throws IOException {
    return new ObjectMapper().readValue(json, new TypeReference<Map<String, Integer>>() {});
  }

  /** Logit indices the vocabulary covers (the model's last dimension must be at least this). */
  public int vocabularySize() {
    return tokens.length;
  }

  /** Decodes {@code logits[frame][token]} (logits or log-probabilities; softmax is applied). */
  public Transcript decode(float[][] logits) {
    int frames = logits.length;
    int[] best = new int[frames];
    double[] prob = new double[frames];
    for (int t = 0; t < frames; t++) {
      float[] row = logits[t];
      if (row.length < tokens.length) {
        throw new MmflowException(
            ErrorCode.MODEL_FAILURE,
            "frame " + t + " has " + row.length + " logits, the vocabulary " + tokens.length);
      }
      int arg = 0;
      for (int k = 1; k < row.length; k++) {
        if (row[k] > row[arg]) {
          arg = k;
        }
      }
      double sum = 0;
      for (float v : row) {
        sum += Math.exp(v - row[arg]);
      }
      best[t] = arg;
      prob[t] = 1 / sum; // softmax of the largest logit
    }
    return collapse(best, prob);
  }

  /** Decodes row-major logits of {@code frames x vocab}, as an ONNX tensor's buffer holds them. */
  public Transcript decode(float[] logits, int frames, int vocab) {
    if ((long) frames * vocab != logits.length) {
      throw new IllegalArgumentException(
          logits.length + " logits are not " + frames + " frames x " + vocab);
    }
    float[][] rows = new float[frames][];
    for (int t = 0; t < frames; t++) {
      rows[t] = Arrays.copyOfRange(logits, t * vocab, (t + 1) * vocab);
    }
    return decode(rows);
  }

  private Transcript collapse(int[] best, double[] prob) {
    List<Word> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    int wordStart = -1;
    int wordEnd = -1;
    double wordProb = 0;
    int wordFrames = 0;
    double emitProb = 0;
    int emitFrames = 0;
    int frames = best.length;
    int t = 0;
    while (t < frames) {
      int id = best[t];
      int end = t;
      while (end < frames && best[end] == id) {
        end++;
      }
      if (id != blank) {
        double runProb = 0;
        for (int k = t; k < end; k++) {
          runProb += prob[k];
        }
        emitProb += runProb;
        emitFrames += end - t;
        String tok = id < tokens.length ? tokens[id] : null;
        if (id == delimiter || (tok != null && tok.isBlank())) {
          addWord(words, word, wordStart, wordEnd, wordProb, wordFrames);
          word.setLength(0);
          wordStart = -1;
          wordProb = 0;
          wordFrames = 0;
        } else if (tok != null && !isSpecial(tok)) {
          if (wordStart < 0) {
            wordStart = t;
          }
          word.append(tok);
          wordEnd = end;
          wordProb += runProb;
          wordFrames += end - t;
        }
      }
      t = end;
    }
    addWord(words, word, wordStart, wordEnd, wordProb, wordFrames);
    StringBuilder text = new StringBuilder();
    for (Word w : words) {
      if (text.length() > 0) {
        text.append(' ');
      }
      text.append(w.text());
    }
    double confidence;
    if (emitFrames > 0) {
      confidence = emitProb / emitFrames;
    } else if (frames > 0) {
      double all = 0;
      for (double p : prob) {
        all += p;
      }
      confidence = all / frames;
    } else {
      confidence = 0;
    }
    return new Transcript(text.toString(), words, clamp(confidence), frames);
  }

  private static void addWord(
      List<Word> words, StringBuilder word, int start, int end, double prob, int frames) {
    String w = word.toString().strip();
    if (!w.isEmpty()) {
      words.add(new Word(w, start, end, clamp(prob / frames)));
    }
  }

  /** {@code <s>}, {@code </s>}, {@code <unk>}, {@code <pad>} and the like. */
  private static boolean isSpecial(String token) {
    return token.length() > 2 && token.startsWith("<") && token.endsWith(">");
  }

  private static double clamp(double p) {
    return Math.max(0, Math.min(1, p));
  }
}
