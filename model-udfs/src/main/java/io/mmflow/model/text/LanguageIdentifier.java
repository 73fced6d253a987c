package io.mmflow.model.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.tika.langdetect.opennlp.OpenNLPDetector;
import org.apache.tika.language.detect.LanguageResult;

/**
 * Language identification with Apache OpenNLP's language detector model (bundled with Tika's {@code
 * tika-langdetect-opennlp}): character n-gram features, 103 languages. Returns ISO 639-1 codes
 * where one exists. Not thread-safe: one instance per task slot.
 */
public final class LanguageIdentifier {
  /** Characters looked at; more adds little accuracy and costs time on long documents. */
  private static final int MAX_CHARS = 20_000;

  /** Ratio by which the best language must lead the second for an answer. */
  private static final double MIN_LEAD = 1.05;

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
  }

  private final OpenNLPDetector detector;

  public LanguageIdentifier() {
    try {
      detector = new OpenNLPDetector();
      detector.loadModels();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the OpenNLP language model", e);
    }
  }

  /** A detected language and the detector's raw score. */
  public record Detection(String language, double score) {}

  /** The most likely language of {@code text}, or null when the text is too short to tell. */
  public Detection detect(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    detector.reset();
    String sample = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
    detector.addText(sample);
    List<LanguageResult> ranked = detector.detectAll();
    if (ranked.isEmpty() || ranked.get(0).getLanguage().isEmpty()) {
      return null;
    }
    // OpenNLP's per-language probabilities are flat on short texts (its own confidence says NONE
    // below a few hundred characters) while the ranking is still right; so accept the best
    // language when it leads the runner-up by MIN_LEAD.
    LanguageResult best = ranked.get(0);
    double runnerUp = ranked.size() > 1 ? ranked.get(1).getRawScore() : 0.0;
    if (runnerUp > 0 && best.getRawScore() / runnerUp < MIN_LEAD) {
      return null;
    }
    return new Detection(toIso1(best.getLanguage()), best.getRawScore());
  }

  static String toIso1(String code) {
    return ISO3_TO_ISO1.getOrDefault(code, code);
  }
}
