package io.mmflow.model.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import opennlp.tools.langdetect.LanguageDetectorModel;
import opennlp.tools.ml.model.MaxentModel;
import org.apache.tika.langdetect.opennlp.OpenNLPDetector;
import org.apache.tika.language.detect.LanguageResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LanguageIdentifierTest {
  /** Sentences written for this test, one language each (ISO 639-1). */
  private static final Map<String, List<String>> SENTENCES =
      Map.of(
          "en",
          List.of(
              "The delivery arrived two days late and the box was crushed on one side.",
              "I really enjoyed the concert last night, the band played all of their old songs!",
              "Could you send me the invoice for March before the end of the week?"),
          "de",
          List.of(
              "Die Lieferung kam zwei Tage zu spät und der Karton war an einer Seite eingedrückt.",
              "Gestern Abend hat mir das Konzert wirklich gut gefallen.",
              "Könnten Sie mir bitte die Rechnung für März bis Ende der Woche schicken?"),
          "fr",
          List.of(
              "La livraison est arrivée avec deux jours de retard et le carton était écrasé.",
              "J'ai vraiment aimé le concert d'hier soir, le groupe a joué toutes ses chansons.",
              "Pourriez-vous m'envoyer la facture de mars avant la fin de la semaine ?"),
          "es",
          List.of(
              "El pedido llegó con dos días de retraso y la caja estaba aplastada.",
              "Me encantó el concierto de anoche, el grupo tocó todas sus canciones antiguas.",
              "¿Podría enviarme la factura de marzo antes del final de la semana?"),
          "it",
          List.of(
              "La consegna è arrivata con due giorni di ritardo e la scatola era schiacciata.",
              "Mi è piaciuto molto il concerto di ieri sera, il gruppo ha suonato tutte le canzoni."),
          "nl",
          List.of(
              "De levering kwam twee dagen te laat en de doos was aan één kant ingedeukt.",
              "Kunt u mij de factuur van maart voor het einde van de week sturen?"),
          "pt",
          List.of(
              "A entrega chegou com dois dias de atraso e a caixa estava amassada.",
              "Gostei muito do concerto de ontem à noite, a banda tocou todas as músicas antigas."),
          "ru",
          List.of(
              "Доставка пришла на два дня позже, и коробка была смята с одной стороны.",
              "Мне очень понравился вчерашний концерт, группа сыграла все старые песни."));

  private static LanguageIdentifier identifier;

  @BeforeAll
  static void load() {
    identifier = new LanguageIdentifier();
  }

  @Test
  void namesTheLanguageOfSentencesInEightLanguagesOrAbstains() {
    int answered = 0;
    int total = 0;
    for (Map.Entry<String, List<String>> e : SENTENCES.entrySet()) {
      for (String s : e.getValue()) {
        total++;
        LanguageIdentifier.Detection d = identifier.detect(s);
        if (d != null) { // abstaining is allowed, a wrong language is not
          answered++;
          assertThat(d.language()).as(s).isEqualTo(e.getKey());
          assertThat(d.score()).isBetween(0.0, 1.0);
        }
      }
    }
    assertThat(answered).as("answered of %d", total).isGreaterThanOrEqualTo(total - 1);
  }

  @Test
  void probabilitiesAreTheModelsOwnEvaluationOfTheDistinctNgrams() throws Exception {
    MaxentModel model;
    try (InputStream in =
        LanguageIdentifier.class.getResourceAsStream(LanguageIdentifier.MODEL_RESOURCE)) {
      model = new LanguageDetectorModel(in).getMaxentModel();
    }
    String[] languages = identifier.languages();
    for (int i = 0; i < languages.length; i++) {
      assertThat(languages[i]).isEqualTo(model.getOutcome(i));
    }
    for (String text :
        List.of(
            SENTENCES.get("en").get(0),
            SENTENCES.get("ru").get(1),
            "Soooo gooood!!! 100% recommended :) see https://example.com/review?id=12345 #happy")) {
      Set<String> grams = identifier.ngrams(text);
      float[] ones = new float[grams.size()];
      java.util.Arrays.fill(ones, 1f);
      double[] expected = model.eval(grams.toArray(new String[0]), ones);
      double[] actual = identifier.probabilities(text);
      assertThat(actual).hasSameSizeAs(expected);
      for (int i = 0; i < expected.length; i++) {
        assertThat(actual[i])
            .as(text + " / " + languages[i])
            .isCloseTo(expected[i], within(1e-6)); // weights held as floats
      }
    }
  }

  @Test
  void normalizesAsTikaDoesBeforeTakingNgrams() {
    // URL, e-mail, digits and punctuation are one space each; a letter repeated is kept twice
    assertThat(
            identifier.ngrams(
                "Soooo GOOD!!! 42 write to a.b@example.org now https://example.com/x"))
        .containsExactlyElementsOf(identifier.ngrams("soo good write to now"));
    assertThat(identifier.ngrams("ab")).containsExactly("a", "ab", "b");
  }

  @Test
  void isRightAtLeastAsOftenAsTikasOpenNlpDetector() throws Exception {
    // Tika's detector judges a short text on its first 110 n-grams (it evaluates after each 110 and
    // keeps the last answer); this class on all of them
    OpenNLPDetector tika = new OpenNLPDetector();
    tika.loadModels();
    int tikaRight = 0;
    int oursRight = 0;
    for (Map.Entry<String, List<String>> e : SENTENCES.entrySet()) {
      for (String s : e.getValue()) {
        tika.reset();
        tika.addText(s);
        List<LanguageResult> ranked = tika.detectAll();
        if (LanguageIdentifier.toIso1(ranked.get(0).getLanguage()).equals(e.getKey())) {
          tikaRight++;
        }
        LanguageIdentifier.Detection ours = identifier.detect(s);
        if (ours != null && ours.language().equals(e.getKey())) {
          oursRight++;
        }
      }
    }
    assertThat(oursRight).isGreaterThanOrEqualTo(tikaRight);
  }

  @Test
  void namesLanguagesWithBcp47Tags() {
    assertThat(identifier.detect("这家餐厅的服务很好，菜也很好吃，我们下次还会再来。").language()).isEqualTo("zh-Hans");
    assertThat(identifier.detect("このレストランのサービスはとても良かったです。また来たいと思います。").language()).isEqualTo("ja");
    for (String language : identifier.languages()) {
      String tag = LanguageIdentifier.toIso1(language);
      assertThat(tag).as(language).matches("[a-z]{2}(-[A-Z][a-z]{3})?|[a-z]{3}");
    }
    assertThat(LanguageIdentifier.toIso1("lvs")).isEqualTo("lv");
    assertThat(LanguageIdentifier.toIso1("ekk")).isEqualTo("et");
  }

  @Test
  void saysNothingWhenThereIsNothingToTell() {
    assertThat(identifier.detect(null)).isNull();
    assertThat(identifier.detect("   ")).isNull();
    assertThat(identifier.detect("12345 !!! 678")).isNull();
  }

  @Test
  void looksAtTheFirstTenThousandCharactersOfLongTexts() {
    String german = SENTENCES.get("de").get(0) + " ";
    String english = SENTENCES.get("en").get(0) + " ";
    String text = german.repeat(10_000 / german.length() + 1) + english.repeat(2_000);
    assertThat(identifier.detect(text).language()).isEqualTo("de");
  }

  @Test
  void instancesShareTheModelAndKeepTheirOwnScratch() {
    LanguageIdentifier other = new LanguageIdentifier();
    String fr = SENTENCES.get("fr").get(1);
    String es = SENTENCES.get("es").get(1);
    assertThat(other.detect(fr).language()).isEqualTo("fr");
    assertThat(identifier.detect(es).language()).isEqualTo("es");
    assertThat(other.detect(fr).score()).isEqualTo(identifier.detect(fr).score());
  }
}
