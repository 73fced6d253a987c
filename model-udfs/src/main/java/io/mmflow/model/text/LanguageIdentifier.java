package io.mmflow.model.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import opennlp.tools.langdetect.LanguageDetectorModel;
import opennlp.tools.ml.model.Context;
import opennlp.tools.ml.model.MaxentModel;

/**
 * Language identification with Apache OpenNLP's language detector model (the one bundled with
 * Tika's {@code tika-langdetect-opennlp}): a maximum-entropy model over character 1- to 3-grams,
 * 103 languages. Returns BCP 47 tags: the ISO 639-1 code where one exists ({@code en}, {@code lv}),
 * with a script for Chinese and romanized Indic text ({@code zh-Hans}, {@code hi-Latn}), else the
 * model's ISO 639-3 code ({@code ceb}).
 *
 * <p>The model is the same as Tika's {@code OpenNLPDetector}; the evaluation is not. Tika's
 * detector makes a {@code String} of every n-gram, counts them in a {@code HashMap} and evaluates
 * the whole model on all n-grams seen so far after every 110 of them: a post of 150 characters
 * costs four or five evaluations. The model's features are binary (Tika passes the value 1 for each
 * distinct n-gram), so its score for a language is a sum over the distinct n-grams of the text;
 * this class keeps the weights in flat arrays keyed by the n-gram's code points, adds each distinct
 * n-gram's weights once, and normalizes once: the same probabilities as {@code
 * MaxentModel.eval(distinctNgrams, ones)} at a fraction of the cost (the stream benchmark spent a
 * quarter of its JVM time in Tika's detector).
 *
 * <p>Text is normalized as Tika does before n-grams are taken: URLs and e-mail addresses removed,
 * each run of characters that are neither alphabetic nor ideographic (digits, punctuation, emoji,
 * hashtag marks) made one space, a character repeated more than twice kept twice, lower case.
 *
 * <p>The weights are loaded once per class loader and shared; an instance holds scratch arrays and
 * is not thread-safe: one per task slot.
 */
public final class LanguageIdentifier {
  /** The model file inside {@code tika-langdetect-opennlp}'s jar. */
  static final String MODEL_RESOURCE = "/opennlp-langdetect-20210413.bin";

  /** Characters looked at (Tika's default too); more adds little accuracy and costs time. */
  private static final int MAX_CHARS = 10_000;

  /** Ratio by which the best language's probability must lead the second's for an answer. */
  private static final double MIN_LEAD = 1.05;

  private static final Pattern URL = Pattern.compile("https?://[-_.?&~;+=/#0-9A-Za-z]{10,10000}");
  private static final Pattern EMAIL =
      Pattern.compile("[-_.0-9A-Za-z]{1,100}@[-_0-9A-Za-z]{1,100}[-_.0-9A-Za-z]{1,100}");

  private static final Map<String, String> ISO3_TO_ISO1 = new HashMap<>();

  static {
    for (String iso1 : Locale.getISOLanguages()) {
      try {
        ISO3_TO_ISO1.put(Locale.forLanguageTag(iso1).getISO3Language(), iso1);
      } catch (RuntimeException ignored) {
        // a language without a three-letter code keeps its OpenNLP code
      }
    }
    // OpenNLP uses some bibliographic or macro-language codes
    ISO3_TO_ISO1.put("fre", "fr");
    ISO3_TO_ISO1.put("ger", "de");
    ISO3_TO_ISO1.put("dut", "nl");
    ISO3_TO_ISO1.put("cmn", "zh");
    ISO3_TO_ISO1.put("zho", "zh");
    ISO3_TO_ISO1.put("pes", "fa");
    ISO3_TO_ISO1.put("zlm", "ms");
    // individual languages of a macro-language that has a two-letter code
    ISO3_TO_ISO1.put("lvs", "lv"); // Standard Latvian
    ISO3_TO_ISO1.put("ekk", "et"); // Standard Estonian
    ISO3_TO_ISO1.put("gug", "gn"); // Paraguayan Guarani
    ISO3_TO_ISO1.put("mya-zaw", "my"); // Burmese in the Zawgyi encoding
    // script variants as BCP 47 tags
    ISO3_TO_ISO1.put("zho-simp", "zh-Hans");
    ISO3_TO_ISO1.put("zho-trad", "zh-Hant");
    ISO3_TO_ISO1.put("ben-rom", "bn-Latn");
    ISO3_TO_ISO1.put("hin-rom", "hi-Latn");
    ISO3_TO_ISO1.put("tam-rom", "ta-Latn");
    ISO3_TO_ISO1.put("tel-rom", "te-Latn");
    ISO3_TO_ISO1.put("urd-rom", "ur-Latn");
  }

  private static volatile Weights shared;

  private final Weights weights;
  private final double[] scores;
  private int[] codePoints = new int[256];
  private long[] keys = new long[768];

  public LanguageIdentifier() {
    this.weights = weights();
    this.scores = new double[weights.languages.length];
  }

  /** A detected language and the model's probability for it. */
  public record Detection(String language, double score) {}

  /** The most likely language of {@code text}, or null when the text is too short to tell. */
  public Detection detect(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    if (score(text) == 0) {
      return null; // no n-gram the model knows
    }
    int best = -1;
    int second = -1;
    for (int i = 0; i < scores.length; i++) {
      if (best < 0 || scores[i] > scores[best]) {
        second = best;
        best = i;
      } else if (second < 0 || scores[i] > scores[second]) {
        second = i;
      }
    }
    // the probabilities are flat on short texts while the ranking is still right; so accept the
    // best language when it leads the runner-up by MIN_LEAD
    if (second >= 0 && scores[second] > 0 && scores[best] / scores[second] < MIN_LEAD) {
      return null;
    }
    return new Detection(weights.iso1[best], scores[best]);
  }

  /** Each language's probability for {@code text}, in the model's outcome order. */
  double[] probabilities(String text) {
    score(text);
    return scores.clone();
  }

  /** The model's outcome (language) names, in its order. */
  String[] languages() {
    return weights.languages.clone();
  }

  /**
   * Fills {@link #scores} with each language's probability for {@code text}; returns how many
   * distinct n-grams of the text the model knows (0: the scores are uniform and mean nothing).
   */
  private int score(String text) {
    int count = ngramKeys(text);
    // each distinct n-gram once: sorted, equal keys are neighbours (a few hundred keys, in cache;
    // a mark per feature in a model-sized array cost a cache miss per n-gram)
    Arrays.sort(keys, 0, count);
    double[] sums = scores;
    Arrays.fill(sums, 0.0);
    int known = 0;
    for (int j = 0; j < count; j++) {
      if (j > 0 && keys[j] == keys[j - 1]) {
        continue;
      }
      long entry = weights.entry(keys[j]);
      if (entry >= 0) {
        known++;
        weights.addTo(entry, sums);
      }
    }
    double max = Double.NEGATIVE_INFINITY;
    for (double s : sums) {
      max = Math.max(max, s);
    }
    double total = 0;
    for (int i = 0; i < sums.length; i++) {
      sums[i] = Math.exp(sums[i] - max);
      total += sums[i];
    }
    for (int i = 0; i < sums.length; i++) {
      sums[i] /= total;
    }
    return known;
  }

  /**
   * The distinct n-grams of {@code text} after normalization, as the model names its features (for
   * tests that compare with the model's own evaluation).
   */
  java.util.Set<String> ngrams(String text) {
    int count = ngramKeys(text);
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    for (int j = 0; j < count; j++) {
      StringBuilder gram = new StringBuilder();
      for (long key = keys[j]; key != 0; key >>>= 21) {
        gram.appendCodePoint((int) (key & 0x1FFFFF) - 1);
      }
      out.add(gram.toString());
    }
    return out;
  }

  /**
   * Writes the {@link #key keys} of the 1- to 3-grams of {@code text}, normalized, into {@link
   * #keys} (the lone space skipped, as Tika does); returns how many.
   */
  private int ngramKeys(String text) {
    int n = normalize(text);
    if (keys.length < 3 * n) {
      keys = new long[3 * n];
    }
    int[] cps = codePoints;
    int count = 0;
    for (int i = 0; i < n; i++) {
      for (int len = 1; len <= 3 && i + len <= n; len++) {
        if (len > 1 || cps[i] != ' ') {
          keys[count++] = key(cps, i, len);
        }
      }
    }
    return count;
  }

  /**
   * The table key of the n-gram {@code cps[from..from+len)} (len 1 to 3): each code point plus one
   * (so that lengths differ) in 21 bits.
   */
  static long key(int[] cps, int from, int len) {
    long key = 0;
    for (int i = 0; i < len; i++) {
      key |= (long) (cps[from + i] + 1) << (21 * i);
    }
    return key;
  }

  /** Normalizes the first MAX_CHARS characters of {@code text} into {@link #codePoints}. */
  private int normalize(String text) {
    String sample = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
    if (sample.indexOf('@') >= 0) {
      sample = EMAIL.matcher(sample).replaceAll(" ");
    }
    if (sample.contains("http")) {
      sample = URL.matcher(sample).replaceAll(" ");
    }
    if (codePoints.length < sample.length()) {
      codePoints = new int[sample.length()];
    }
    int[] cps = codePoints;
    int n = 0;
    for (int i = 0; i < sample.length(); ) {
      int cp = sample.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isAlphabetic(cp) || Character.isIdeographic(cp)) {
        int lower = Character.toLowerCase(cp);
        if (n >= 2 && cps[n - 1] == lower && cps[n - 2] == lower) {
          continue; // "sooooo" is "soo"
        }
        cps[n++] = lower;
      } else if (n > 0 && cps[n - 1] != ' ') {
        cps[n++] = ' ';
      }
    }
    if (n > 0 && cps[n - 1] == ' ') {
      n--;
    }
    return n;
  }

  static String toIso1(String code) {
    return ISO3_TO_ISO1.getOrDefault(code, code);
  }

  private static Weights weights() {
    Weights w = shared;
    if (w == null) {
      synchronized (LanguageIdentifier.class) {
        w = shared;
        if (w == null) {
          w = Weights.load();
          shared = w;
        }
      }
    }
    return w;
  }

  /**
   * The model's weights in flat arrays: an open-addressing table from an n-gram's code points (21
   * bits each, plus one, so that lengths differ) to where its (language, weight) pairs are, each
   * key beside that entry so that a lookup reads one cache line; the pairs of one n-gram are
   * adjacent in {@code outcomes} (unsigned bytes) and {@code params} (floats). Compact because the
   * look-ups are cache misses: with doubles, ints and a separate offsets array (50 MB in all)
   * language detection took a third of the feeds job's Java samples under load, three times its
   * cost alone.
   */
  private static final class Weights {
    final String[] languages;
    final String[] iso1;

    /**
     * {@code table[2i]}: an n-gram's key (0: empty); {@code table[2i+1]}: its entry, the offset of
     * its (language, weight) pairs in {@link #outcomes} and {@link #params} shifted left by 8, and
     * their count (at most the model's 148 outcomes) in the low 8 bits.
     */
    final long[] table;

    final int mask;
    final byte[] outcomes;
    final float[] params;

    private Weights(String[] languages, long[] table, byte[] outcomes, float[] params) {
      this.languages = languages;
      this.iso1 = Arrays.stream(languages).map(LanguageIdentifier::toIso1).toArray(String[]::new);
      this.table = table;
      this.mask = table.length / 2 - 1;
      this.outcomes = outcomes;
      this.params = params;
    }

    /** The entry of the n-gram {@code key}, or -1 when the model does not know it. */
    long entry(long key) {
      int i = mix(key) & mask;
      while (true) {
        long k = table[2 * i];
        if (k == key) {
          return table[2 * i + 1];
        }
        if (k == 0) {
          return -1;
        }
        i = (i + 1) & mask;
      }
    }

    void addTo(long entry, double[] sums) {
      for (int j = (int) (entry >>> 8), end = j + (int) (entry & 0xFF); j < end; j++) {
        sums[outcomes[j] & 0xFF] += params[j];
      }
    }

    private static int mix(long key) {
      long h = key * 0x9E3779B97F4A7C15L;
      return (int) (h ^ (h >>> 32));
    }

    static Weights load() {
      MaxentModel model;
      try (InputStream in = LanguageIdentifier.class.getResourceAsStream(MODEL_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(
              "the OpenNLP language model "
                  + MODEL_RESOURCE
                  + " is not on the classpath (it comes with org.apache.tika:"
                  + "tika-langdetect-opennlp; was its version changed?)");
        }
        model = new LanguageDetectorModel(in).getMaxentModel();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot load the OpenNLP language model", e);
      }
      Object[] data = ((opennlp.tools.ml.model.AbstractModel) model).getDataStructures();
      @SuppressWarnings("unchecked")
      Map<String, Context> features = (Map<String, Context>) data[1];
      String[] languages = (String[]) data[2];
      if (languages.length > 255) { // an outcome is an unsigned byte, a count 8 bits
        throw new IllegalStateException(
            "the language model has " + languages.length + " languages; at most 255 fit");
      }
      // a load factor of 1/3 to 2/3: short probe runs, and a table (8 MB for the model's 344,000
      // n-grams) that shares the caches with the weights (14 MB as floats and bytes)
      int capacity = Integer.highestOneBit(Math.max(16, features.size() * 3));
      long[] table = new long[2 * capacity];
      int total = 0;
      for (Context c : features.values()) {
        total += c.getOutcomes().length;
      }
      byte[] outcomes = new byte[total];
      float[] params = new float[total];
      int at = 0;
      for (Map.Entry<String, Context> e : features.entrySet()) {
        long key = key(e.getKey());
        if (key == 0) {
          continue; // not a 1- to 3-gram: never looked up
        }
        int i = mix(key) & (capacity - 1);
        while (table[2 * i] != 0) {
          i = (i + 1) & (capacity - 1);
        }
        Context c = e.getValue();
        int[] o = c.getOutcomes();
        double[] w = c.getParameters();
        table[2 * i] = key;
        table[2 * i + 1] = ((long) at << 8) | o.length;
        for (int j = 0; j < o.length; j++) {
          outcomes[at + j] = (byte) o[j];
          params[at + j] = (float) w[j];
        }
        at += o.length;
      }
      return new Weights(languages, table, Arrays.copyOf(outcomes, at), Arrays.copyOf(params, at));
    }

    /** The table key of an n-gram of one to three code points; 0 for anything else. */
    private static long key(String gram) {
      int[] cps = gram.codePoints().toArray();
      return cps.length < 1 || cps.length > 3 ? 0 : LanguageIdentifier.key(cps, 0, cps.length);
    }
  }
}
