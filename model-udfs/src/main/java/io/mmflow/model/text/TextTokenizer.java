package io.mmflow.model.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A HuggingFace {@code tokenizer.json} (normalizer, pre-tokenizer, WordPiece/BPE/Unigram model,
 * special tokens) run by the HuggingFace tokenizers library through DJL's binding. Texts longer
 * than the token budget are truncated and flagged; a batch is padded to its longest row.
 */
public final class TextTokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final int maxTokens;

  /** One padded batch: row-major ids, attention mask and token types, {@code rows x length}. */
  public record Batch(
      long[] ids,
      long[] attentionMask,
      long[] typeIds,
      int rows,
      int length,
      int[] tokenCounts,
      boolean[] truncated) {}

  public TextTokenizer(Path tokenizerJson, int maxTokens) {
    this.maxTokens = maxTokens;
    try {
      TokenizerNatives.load();
      this.tokenizer =
          HuggingFaceTokenizer.builder()
              .optTokenizerPath(tokenizerJson)
              .optAddSpecialTokens(true)
              .optTruncation(true)
              .optMaxLength(maxTokens)
              .optPadding(false)
              .build();
    } catch (IOException | RuntimeException | LinkageError e) {
      // LinkageError: the native library could not load (e.g. a temporary folder mounted noexec)
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "cannot load tokenizer " + tokenizerJson.getFileName() + ": " + e.getMessage(),
          e);
    }
  }

  public int maxTokens() {
    return maxTokens;
  }

  /** The token strings of one text, special tokens included (for tests and debugging). */
  public String[] tokens(String text) {
    return tokenizer.encode(text).getTokens();
  }

  /**
   * Unpadded token rows of a batch of texts.
   *
   * @param ids token ids per text, special tokens included
   * @param typeIds token type ids per text
   * @param truncated whether each text was cut to the token budget
   */
  public record Rows(long[][] ids, long[][] typeIds, boolean[] truncated) {
    public int size() {
      return ids.length;
    }

    /** Token count of every row. */
    public int[] lengths() {
      int[] lengths = new int[ids.length];
      for (int r = 0; r < ids.length; r++) {
        lengths[r] = ids[r].length;
      }
      return lengths;
    }
  }

  /** Tokenizes and pads a batch: {@code pad(encodeRows(texts), all rows)}. */
  public Batch encode(List<String> texts) {
    Rows rows = encodeRows(texts);
    int[] all = new int[rows.size()];
    Arrays.setAll(all, i -> i);
    return pad(rows, all);
  }

  /**
   * Tokenizes a batch, one native encoding a text, on the caller's thread. Only the ids, token
   * types and overflow count of each encoding cross JNI (DJL's {@code Encoding} would also copy out
   * the token strings, word ids, character spans and masks, a third of the time): with padding off
   * the attention mask is 1 for every token, and truncation leaves overflow behind.
   *
   * <p>Not the library's batch call: it spreads a batch over a pool of its own (Rust's rayon, one
   * thread a CPU, shared by every tokenizer in the process), and in a task manager every slot's
   * thread is already busy. The caller then waits for the pool's threads, which spin between
   * batches: on 2 vCPUs, two threads tokenizing the sentiment corpus took 38-51 µs of CPU a text
   * that way, 33-35 one text at a time (batches of 4 to 32), and in {@code bench stream} the pool's
   * threads used 50 µs an item beside the task threads' own.
   */
  public Rows encodeRows(List<String> texts) {
    TokenizersLibrary lib = TokenizersLibrary.LIB;
    long handle = tokenizer.getHandle();
    int count = texts.size();
    long[][] ids = new long[count][];
    long[][] types = new long[count][];
    boolean[] truncated = new boolean[count];
    for (int r = 0; r < count; r++) {
      long encoding = lib.encode(handle, texts.get(r), true);
      try {
        ids[r] = lib.getTokenIds(encoding);
        types[r] = lib.getTypeIds(encoding);
        truncated[r] = lib.getOverflowCount(encoding) > 0;
      } finally {
        lib.deleteEncoding(encoding);
      }
    }
    return new Rows(ids, types, truncated);
  }

  /** The rows {@code which} (in that order), padded to the longest of them. */
  public static Batch pad(Rows rows, int[] which) {
    int length = 1;
    for (int r : which) {
      length = Math.max(length, rows.ids()[r].length);
    }
    int count = which.length;
    long[] ids = new long[count * length];
    long[] mask = new long[count * length];
    long[] types = new long[count * length];
    int[] counts = new int[count];
    boolean[] truncated = new boolean[count];
    for (int i = 0; i < count; i++) {
      int n = rows.ids()[which[i]].length;
      System.arraycopy(rows.ids()[which[i]], 0, ids, i * length, n);
      Arrays.fill(mask, i * length, i * length + n, 1L);
      System.arraycopy(rows.typeIds()[which[i]], 0, types, i * length, n);
      counts[i] = n;
      truncated[i] = rows.truncated()[which[i]];
    }
    return new Batch(ids, mask, types, count, length, counts, truncated);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
