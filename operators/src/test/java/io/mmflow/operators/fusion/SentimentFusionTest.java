package io.mmflow.operators.fusion;

import static io.mmflow.core.model.Modality.AUDIO;
import static io.mmflow.core.model.Modality.IMAGE;
import static io.mmflow.core.model.Modality.OCR;
import static io.mmflow.core.model.Modality.TEXT;
import static io.mmflow.operators.fusion.FusionFixtures.T0;
import static io.mmflow.operators.fusion.FusionFixtures.builder;
import static io.mmflow.operators.fusion.FusionFixtures.failed;
import static io.mmflow.operators.fusion.FusionFixtures.labels;
import static io.mmflow.operators.fusion.FusionFixtures.sentiment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mmflow.core.config.FusionOptions;
import io.mmflow.core.model.FusedResult;
import io.mmflow.core.model.FusionStatus;
import io.mmflow.core.model.FusionStrategy;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.OverallSentiment;
import io.mmflow.core.model.ResultStatus;
import io.mmflow.core.model.Task;
import io.mmflow.core.serde.Json;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class SentimentFusionTest {
  private static final double E = 1e-9;

  /**
   * Three modalities that disagree. Default weights text 0.4, audio 0.3, image 0.2.
   *
   * <pre>
   *          positive negative neutral  confidence  vote
   *   text     0.8      0.1      0.1       0.5      positive
   *   audio    0.3      0.6      0.1       0.9      negative
   *   image    0.2      0.7      0.1       0.8      negative
   * </pre>
   */
  private static final List<ModalityResult> DISAGREE =
      List.of(
          sentiment(TEXT, 0.5, "positive=0.8", "negative=0.1", "neutral=0.1"),
          sentiment(AUDIO, 0.9, "negative=0.6", "positive=0.3", "neutral=0.1"),
          sentiment(IMAGE, 0.8, "negative=0.7", "positive=0.2", "neutral=0.1"));

  private static FusedResult fuse(FusionSettings settings, List<ModalityResult> results) {
    return new SentimentFusion(settings).fuse("c1", T0, T0.plusSeconds(60), results, T0);
  }

  private static FusedResult fuse(FusionStrategy strategy, List<ModalityResult> results) {
    return fuse(FusionSettings.defaults().withStrategy(strategy), results);
  }

  private static void assertSentiment(
      FusedResult r, String label, double score, double confidence) {
    OverallSentiment s = r.sentiment();
    assertThat(s.label()).isEqualTo(label);
    assertThat(s.score()).isCloseTo(score, within(E));
    assertThat(s.confidence()).isCloseTo(confidence, within(E));
  }

  @Test
  void weightedAverageUsesTheModalityWeights() {
    FusedResult r = fuse(FusionStrategy.WEIGHTED_AVERAGE, DISAGREE);
    // sum w = 0.4 + 0.3 + 0.2 = 0.9
    // F(pos) = (0.4*0.8 + 0.3*0.3 + 0.2*0.2) / 0.9 = 0.45 / 0.9 = 0.5
    // F(neg) = (0.4*0.1 + 0.3*0.6 + 0.2*0.7) / 0.9 = 0.36 / 0.9 = 0.4
    // confidence: only text voted positive: 0.4*0.5 / 0.9 = 0.2222
    assertSentiment(r, "positive", 0.5, 0.2 / 0.9);
    assertThat(r.sentiment().contributingModalities()).containsExactly(TEXT, IMAGE, AUDIO);
    assertThat(r.strategy()).isEqualTo(FusionStrategy.WEIGHTED_AVERAGE);
    assertThat(r.status()).isEqualTo(FusionStatus.SUCCESS);
    assertThat(r.resultCount()).isEqualTo(3);
  }

  @Test
  void weightedAverageWithConfiguredWeightsIgnoresZeroWeightModalities() {
    Configuration conf = new Configuration();
    conf.set(FusionOptions.WEIGHTS, "audio:1, image:1");
    FusedResult r = fuse(FusionSettings.from(conf), DISAGREE);
    // F(neg) = (0.6 + 0.7) / 2 = 0.65; confidence = (0.9 + 0.8) / 2 = 0.85
    assertSentiment(r, "negative", 0.65, 0.85);
    assertThat(r.sentiment().contributingModalities()).containsExactly(IMAGE, AUDIO);
  }

  @Test
  void confidenceWeightedUsesEachModalitysConfidence() {
    FusedResult r = fuse(FusionStrategy.CONFIDENCE_WEIGHTED, DISAGREE);
    // sum c = 0.5 + 0.9 + 0.8 = 2.2
    // F(pos) = (0.5*0.8 + 0.9*0.3 + 0.8*0.2) / 2.2 = 0.83 / 2.2 = 0.3773
    // F(neg) = (0.5*0.1 + 0.9*0.6 + 0.8*0.7) / 2.2 = 1.15 / 2.2 = 0.5227
    // confidence: audio and image voted negative: (0.9*0.9 + 0.8*0.8) / 2.2 = 1.45 / 2.2
    assertSentiment(r, "negative", 1.15 / 2.2, 1.45 / 2.2);
  }

  @Test
  void majorityVoteCountsOneVotePerModality() {
    FusedResult r = fuse(FusionStrategy.MAJORITY_VOTE, DISAGREE);
    // votes: negative 2 (audio, image), positive 1 (text)
    // score = mean p(neg) = (0.1 + 0.6 + 0.7) / 3; confidence = (0.9 + 0.8) / 3
    assertSentiment(r, "negative", 1.4 / 3, 1.7 / 3);
    assertThat(r.sentiment().contributingModalities()).containsExactly(TEXT, IMAGE, AUDIO);
  }

  @Test
  void majorityVoteTieGoesToTheLargerSummedConfidenceThenTheLabelOrder() {
    FusedResult byConfidence =
        fuse(
            FusionStrategy.MAJORITY_VOTE,
            List.of(
                sentiment(TEXT, 0.6, "positive=0.7", "negative=0.3"),
                sentiment(AUDIO, 0.9, "positive=0.2", "negative=0.8")));
    // 1:1; negative backed by 0.9 > 0.6. score = (0.3 + 0.8) / 2, confidence = 0.9 / 2
    assertSentiment(byConfidence, "negative", 0.55, 0.45);

    FusedResult byOrder =
        fuse(
            FusionStrategy.MAJORITY_VOTE,
            List.of(
                sentiment(TEXT, 0.7, "neutral=0.7", "positive=0.3"),
                sentiment(AUDIO, 0.7, "positive=0.7", "neutral=0.3")));
    // 1:1, 0.7 each: positive comes before neutral. score = (0.3 + 0.7) / 2, conf = 0.7 / 2
    assertSentiment(byOrder, "positive", 0.5, 0.35);
  }

  @Test
  void hierarchicalLetsTheFirstConfidentModalityDecide() {
    FusionSettings settings = FusionSettings.defaults().withStrategy(FusionStrategy.HIERARCHICAL);
    // threshold 0.6: text (0.5) is below it, audio (0.9) is next in text,audio,image,...
    FusedResult r = fuse(settings, DISAGREE);
    assertSentiment(r, "negative", 0.6, 0.9);
    assertThat(r.sentiment().contributingModalities()).containsExactly(AUDIO);

    Configuration conf = new Configuration();
    conf.set(FusionOptions.STRATEGY, FusionStrategy.HIERARCHICAL);
    conf.set(FusionOptions.HIERARCHICAL_THRESHOLD, 0.4);
    assertSentiment(fuse(FusionSettings.from(conf), DISAGREE), "positive", 0.8, 0.5);

    conf.set(FusionOptions.PRECEDENCE, "image");
    // image first, then the rest in enum order
    assertSentiment(fuse(FusionSettings.from(conf), DISAGREE), "negative", 0.7, 0.8);
  }

  @Test
  void hierarchicalFallsBackToTheFirstPresentModalityWhenNoneIsConfident() {
    Configuration conf = new Configuration();
    conf.set(FusionOptions.STRATEGY, FusionStrategy.HIERARCHICAL);
    conf.set(FusionOptions.HIERARCHICAL_THRESHOLD, 0.95);
    FusedResult r = fuse(FusionSettings.from(conf), DISAGREE);
    assertSentiment(r, "positive", 0.8, 0.5);
    assertThat(r.sentiment().contributingModalities()).containsExactly(TEXT);
  }

  @Test
  void consistencyIsOneWhenAllAgreeAndLowerWhenTheyDisagree() {
    List<ModalityResult> agree =
        List.of(
            sentiment(TEXT, 0.9, "positive=0.9", "negative=0.1"),
            sentiment(AUDIO, 0.9, "positive=0.9", "negative=0.1"),
            sentiment(IMAGE, 0.9, "positive=0.9", "negative=0.1"));
    FusedResult all = fuse(FusionStrategy.WEIGHTED_AVERAGE, agree);
    assertThat(all.consistency()).isCloseTo(1.0, within(E));
    assertSentiment(all, "positive", 0.9, 0.9);

    // TV(text,audio) = (0.5 + 0.5 + 0) / 2 = 0.5; TV(text,image) = (0.6 + 0.6) / 2 = 0.6;
    // TV(audio,image) = (0.1 + 0.1) / 2 = 0.1; consistency = 1 - (0.5 + 0.6 + 0.1) / 3 = 0.6
    for (FusionStrategy s : FusionStrategy.values()) {
      assertThat(fuse(s, DISAGREE).consistency()).as(s.name()).isCloseTo(0.6, within(E));
    }
  }

  @Test
  void consistencyNormalisesDistributionsOverTheUnionOfLabels() {
    // binary text model vs a three-way audio model: q_text = (pos 0.8, neg 0.2, neu 0),
    // q_audio = (0.5, 0.25, 0.25) after dividing by 0.8: TV = (0.3 + 0.05 + 0.25) / 2 = 0.3
    FusedResult r =
        fuse(
            FusionStrategy.WEIGHTED_AVERAGE,
            List.of(
                sentiment(TEXT, 0.8, "positive=0.8", "negative=0.2"),
                sentiment(AUDIO, 0.5, "positive=0.4", "negative=0.2", "neutral=0.2")));
    assertThat(r.consistency()).isCloseTo(0.7, within(E));
  }

  @Test
  void severalResultsOfOneModalityAreAveragedFirst() {
    FusedResult r =
        fuse(
            FusionStrategy.WEIGHTED_AVERAGE,
            List.of(
                sentiment(IMAGE, 0.8, "positive=0.9", "negative=0.1"),
                sentiment(IMAGE, 0.4, "positive=0.3", "negative=0.7")));
    // p_image = (0.6, 0.4), c_image = 0.6; one modality: F = p_image, confidence = c_image
    assertSentiment(r, "positive", 0.6, 0.6);
    assertThat(r.consistency()).isNull();
    assertThat(r.resultCount()).isEqualTo(2);
    assertThat(r.modalitiesPresent()).containsExactly(IMAGE);

    // averaged within image, two images do not outvote one text
    FusedResult vote =
        fuse(
            FusionStrategy.MAJORITY_VOTE,
            List.of(
                sentiment(TEXT, 0.9, "negative=0.9", "positive=0.1"),
                sentiment(IMAGE, 0.8, "positive=0.9", "negative=0.1"),
                sentiment(IMAGE, 0.8, "positive=0.9", "negative=0.1")));
    // 1:1 tie, negative backed by 0.9 > 0.8
    assertThat(vote.sentiment().label()).isEqualTo("negative");
  }

  @Test
  void missingExpectedModalityIsAPartialFailure() {
    Configuration conf = new Configuration();
    conf.set(FusionOptions.EXPECTED_MODALITIES, "text,audio,image");
    FusedResult r = fuse(FusionSettings.from(conf), DISAGREE.subList(0, 2));
    assertThat(r.status()).isEqualTo(FusionStatus.PARTIAL_FAILURE);
    assertThat(r.modalitiesPresent()).containsExactly(TEXT, AUDIO);
    assertThat(r.modalitiesMissing()).containsExactly(IMAGE);
    assertThat(r.sentiment()).isNotNull();

    assertThat(fuse(FusionSettings.from(conf), DISAGREE).status()).isEqualTo(FusionStatus.SUCCESS);
  }

  @Test
  void anErroredModalityIsAPartialFailure() {
    FusedResult r =
        fuse(
            FusionStrategy.WEIGHTED_AVERAGE,
            List.of(DISAGREE.get(0), DISAGREE.get(1), failed("c1", IMAGE, 0)));
    assertThat(r.status()).isEqualTo(FusionStatus.PARTIAL_FAILURE);
    assertThat(r.modalitiesMissing()).containsExactly(IMAGE);
    assertThat(r.resultCount()).isEqualTo(3);
    // text 0.4 * (0.8, 0.1) + audio 0.3 * (0.3, 0.6) over 0.7: positive 0.41 / 0.7
    assertSentiment(r, "positive", 0.41 / 0.7, 0.2 / 0.7);

    // one of two images failed: image is present but the window still had an error
    FusedResult oneOfTwo =
        fuse(FusionStrategy.WEIGHTED_AVERAGE, List.of(DISAGREE.get(2), failed("c1", IMAGE, 0)));
    assertThat(oneOfTwo.status()).isEqualTo(FusionStatus.PARTIAL_FAILURE);
    assertThat(oneOfTwo.modalitiesMissing()).isEmpty();
  }

  @Test
  void noSentimentAtAllIsAnError() {
    ModalityResult ocrText =
        builder("c1", OCR, Task.OCR, 0).text("hello").confidence(0.9, "mean").build();
    FusedResult r = fuse(FusionStrategy.MAJORITY_VOTE, List.of(failed("c1", TEXT, 0), ocrText));
    assertThat(r.status()).isEqualTo(FusionStatus.ERROR);
    assertThat(r.sentiment()).isNull();
    assertThat(r.consistency()).isNull();
    assertThat(r.modalitiesPresent()).isEmpty();
    assertThat(r.modalitiesMissing()).containsExactly(TEXT);
    assertThat(r.resultCount()).isEqualTo(2);
    assertThat(fuse(FusionStrategy.HIERARCHICAL, List.of()).status()).isEqualTo(FusionStatus.ERROR);
  }

  @Test
  void otherTasksCountOnlyWithSentimentLabelsAndDegradedResultsCount() {
    ModalityResult caption =
        builder("c1", IMAGE, Task.CLASSIFICATION, 0)
            .labels(labels("cat=0.9", "Positive=0.7"))
            .status(ResultStatus.DEGRADED)
            .build();
    ModalityResult cat =
        builder("c1", AUDIO, Task.CLASSIFICATION, 0).labels(labels("speech=0.9")).build();
    FusedResult r = fuse(FusionStrategy.WEIGHTED_AVERAGE, List.of(caption, cat));
    // no confidence: the best sentiment label's score, 0.7
    assertSentiment(r, "positive", 0.7, 0.7);
    assertThat(r.modalitiesPresent()).containsExactly(IMAGE);
    assertThat(r.status()).isEqualTo(FusionStatus.SUCCESS);
  }

  @Test
  void tallySurvivesItsFlinkSerialisation() {
    FusionTally t = FusionTally.of(DISAGREE).add(failed("c1", IMAGE, 0));
    FusionTally back = Json.read(Json.write(t), FusionTally.class);
    assertThat(back).isEqualTo(t);
    assertThat(FusionTally.of(DISAGREE.subList(0, 1)).merge(FusionTally.of(DISAGREE.subList(1, 3))))
        .isEqualTo(FusionTally.of(DISAGREE));
  }
}
