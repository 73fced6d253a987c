package io.mmflow.datasets.models.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a HuggingFace {@code tokenizer.json} of the BERT kind (uncased): BertNormalizer
 * (lowercase, strip accents, clean control characters), BertPreTokenizer (split on whitespace and
 * punctuation), a WordPiece model over the given vocabulary, and the {@code [CLS] text [SEP]}
 * template. It is the same file format as {@code bert-base-uncased}'s, so the loader that reads it
 * reads theirs.
 *
 * <p>{@link #basicTokens} mirrors the normalizer and pre-tokenizer in Java; the model builders use
 * it to count words when they choose a vocabulary.
 */
public final class WordPieceTokenizerJson {
  public static final String PAD = "[PAD]";
  public static final String UNK = "[UNK]";
  public static final String CLS = "[CLS]";
  public static final String SEP = "[SEP]";
  public static final List<String> SPECIAL = List.of(PAD, UNK, CLS, SEP);

  private WordPieceTokenizerJson() {}

  /** Lowercased, accent-free words and punctuation marks, as BERT's basic tokenizer splits. */
  public static List<String> basicTokens(String text) {
    String s = Normalizer.normalize(text.toLowerCase(Locale.ROOT), Normalizer.Form.NFD);
    List<String> out = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int type = Character.getType(c);
      if (type == Character.NON_SPACING_MARK) {
        continue;
      }
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        flush(word, out);
      } else if (isPunctuation(c)) {
        flush(word, out);
        out.add(String.valueOf(c));
      } else {
        word.append(c);
      }
    }
    flush(word, out);
    return out;
  }

  private static void flush(StringBuilder word, List<String> out) {
    if (!word.isEmpty()) {
      out.add(word.toString());
      word.setLength(0);
    }
  }

  /** BERT's rule: ASCII symbols count as punctuation, as do Unicode P* categories. */
  private static boolean isPunctuation(char c) {
    if ((c >= 33 && c <= 47)
        || (c >= 58 && c <= 64)
        || (c >= 91 && c <= 96)
        || (c >= 123 && c <= 126)) {
      return true;
    }
    int t = Character.getType(c);
    return t == Character.CONNECTOR_PUNCTUATION
        || t == Character.DASH_PUNCTUATION
        || t == Character.START_PUNCTUATION
        || t == Character.END_PUNCTUATION
        || t == Character.INITIAL_QUOTE_PUNCTUATION
        || t == Character.FINAL_QUOTE_PUNCTUATION
        || t == Character.OTHER_PUNCTUATION;
  }

  /** How many tokens the vocabulary of a WordPiece {@code tokenizer.json} holds. */
  public static int vocabularySize(Path tokenizerJson) throws IOException {
    return new ObjectMapper().readTree(tokenizerJson.toFile()).path("model").path("vocab").size();
  }

  /**
   * Writes {@code tokenizer.json}; the vocabulary gets ids in order after the four special tokens.
   *
   * @return the vocabulary, token → id, specials included
   */
  public static Map<String, Integer> write(Path file, List<String> words) throws IOException {
    Map<String, Integer> vocab = new LinkedHashMap<>();
    SPECIAL.forEach(t -> vocab.put(t, vocab.size()));
    for (String w : words) {
      vocab.putIfAbsent(w, vocab.size());
    }
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (String t : SPECIAL) {
      ObjectNode a = added.addObject();
      a.put("id", vocab.get(t));
      a.put("content", t);
      a.put("single_word", false);
      a.put("lstrip", false);
      a.put("rstrip", false);
      a.put("normalized", false);
      a.put("special", true);
    }
    ObjectNode normalizer = root.putObject("normalizer");
    normalizer.put("type", "BertNormalizer");
    normalizer.put("clean_text", true);
    normalizer.put("handle_chinese_chars", true);
    normalizer.putNull("strip_accents");
    normalizer.put("lowercase", true);
    root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
    ObjectNode post = root.putObject("post_processor");
    post.put("type", "TemplateProcessing");
    ArrayNode single = post.putArray("single");
    special(single, CLS);
    single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    special(single, SEP);
    ArrayNode pair = post.putArray("pair");
    special(pair, CLS);
    pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    special(pair, SEP);
    pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
    pair.addObject().putObject("SpecialToken").put("id", SEP).put("type_id", 1);
    ObjectNode specials = post.putObject("special_tokens");
    for (String t : List.of(CLS, SEP)) {
      ObjectNode s = specials.putObject(t);
      s.put("id", t);
      s.putArray("ids").add(vocab.get(t));
      s.putArray("tokens").add(t);
    }
    ObjectNode decoder = root.putObject("decoder");
    decoder.put("type", "WordPiece");
    decoder.put("prefix", "##");
    decoder.put("cleanup", true);
    ObjectNode model = root.putObject("model");
    model.put("type", "WordPiece");
    model.put("unk_token", UNK);
    model.put("continuing_subword_prefix", "##");
    model.put("max_input_chars_per_word", 100);
    ObjectNode v = model.putObject("vocab");
    vocab.forEach(v::put);
    Files.createDirectories(file.toAbsolutePath().getParent());
    json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    return vocab;
  }

  private static void special(ArrayNode template, String token) {
    template.addObject().putObject("SpecialToken").put("id", token).put("type_id", 0);
  }
}
