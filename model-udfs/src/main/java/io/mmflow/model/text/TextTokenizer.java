package io.mmflow.model.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.io.IOException;
import java.nio.file.Path;
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
      this.tokenizer =
          HuggingFaceTokenizer.builder()
              .optTokenizerPath(tokenizerJson)
              .optAddSpecialTokens(true)
              .optTruncation(true)
              .optMaxLength(maxTokens)
              .optPadding(false)
              .build();
    } catch (IOException | RuntimeException e) {
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

  public Batch encode(List<String> texts) {
    Encoding[] encodings = tokenizer.batchEncode(texts);
    int length = 1;
    for (Encoding e : encodings) {
      length = Math.max(length, e.getIds().length);
    }
    int rows = encodings.length;
    long[] ids = new long[rows * length];
    long[] mask = new long[rows * length];
    long[] types = new long[rows * length];
    int[] counts = new int[rows];
    boolean[] truncated = new boolean[rows];
    for (int r = 0; r < rows; r++) {
      Encoding e = encodings[r];
      long[] rowIds = e.getIds();
      System.arraycopy(rowIds, 0, ids, r * length, rowIds.length);
      System.arraycopy(e.getAttentionMask(), 0, mask, r * length, rowIds.length);
      System.arraycopy(e.getTypeIds(), 0, types, r * length, rowIds.length);
      counts[r] = rowIds.length;
      truncated[r] = e.exceedMaxLength() || e.getOverflowing().length > 0;
    }
    return new Batch(ids, mask, types, rows, length, counts, truncated);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
