package io.mmflow.datasets.models.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.model.audio.SpeechModel;
import io.mmflow.model.onnx.ModelRegistry;
import io.mmflow.model.onnx.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tone CTC model built here, run by ONNX Runtime through the registry and {@link SpeechModel}:
 * it transcribes what {@link ToneSpeech} renders exactly, with word times where the synthesizer put
 * the words, the same in a batch as alone; the build is byte-for-byte reproducible.
 */
class ToneCtcModelBuilderTest {
  private static final List<String> TEXTS =
      List.of("hello world", "a", "bookkeeper jazz", "the quick brown fox", "it's ok");

  /** A word may start or end up to one frame (20 ms) from where it was put, plus a little. */
  private static final double TIME_TOLERANCE = 0.03;

  @TempDir Path dir;

  private ModelSpec spec(boolean mask) throws Exception {
    Path yaml = ToneCtcModelBuilder.build(dir, mask);
    return ModelRegistry.load(yaml.toString()).get(ToneCtcModelBuilder.MODEL_ID);
  }

  @Test
  void transcribesRenderedTextWithWordTimes() throws Exception {
    ModelSpec spec = spec(false);
    assertThat(spec.preprocessing().sampleRate()).isEqualTo(16_000);
    assertThat(spec.preprocessing().frameStride()).isEqualTo(320);
    try (SpeechModel model = new SpeechModel(spec)) {
      assertThat(model.frameSeconds()).isEqualTo(0.02);
      for (String text : TEXTS) {
        ToneSpeech.Speech speech = ToneSpeech.render(text, model.sampleRate());
        SpeechModel.Transcription t = model.apply(speech.samples());
        assertThat(t.text()).isEqualTo(text);
        assertThat(t.confidence()).isGreaterThan(0.9);
        assertWordTimes(t, speech);
      }
    }
  }

  @Test
  void aBatchOfDifferentLengthsAnswersAsEachAlone() throws Exception {
    for (boolean mask : new boolean[] {false, true}) {
      try (SpeechModel model = new SpeechModel(spec(mask))) {
        List<float[]> waves = new ArrayList<>();
        for (String text : TEXTS) {
          waves.add(ToneSpeech.render(text, model.sampleRate()).samples());
        }
        waves.add(new float[0]);
        List<SpeechModel.Transcription> batch = model.applyBatch(waves);
        assertThat(batch).hasSize(waves.size());
        for (int i = 0; i < waves.size(); i++) {
          SpeechModel.Transcription alone = model.apply(waves.get(i));
          SpeechModel.Transcription together = batch.get(i);
          assertThat(together.text()).isEqualTo(alone.text());
          assertThat(together.frames()).isEqualTo(alone.frames());
          assertThat(together.words()).hasSameSizeAs(alone.words());
          for (int w = 0; w < alone.words().size(); w++) {
            assertThat(together.words().get(w).startSeconds())
                .isEqualTo(alone.words().get(w).startSeconds());
            assertThat(together.words().get(w).endSeconds())
                .isEqualTo(alone.words().get(w).endSeconds());
          }
          assertThat(together.confidence()).isCloseTo(alone.confidence(), within(1e-5));
        }
        assertThat(batch.get(TEXTS.size()).text()).isEmpty();
        assertThat(batch.get(TEXTS.size()).frames()).isZero();
      }
    }
  }

  @Test
  void silenceAndQuietNoiseAreBlank() throws Exception {
    try (SpeechModel model = new SpeechModel(spec(false))) {
      float[] noise = new float[16_000];
      Random random = new Random(7);
      for (int i = 0; i < noise.length; i++) {
        noise[i] = (float) (random.nextGaussian() * 0.001);
      }
      assertThat(model.apply(new float[8_000]).text()).isEmpty();
      assertThat(model.apply(noise).text()).isEmpty();
    }
  }

  @Test
  void sameInputsGiveIdenticalFiles(@TempDir Path other) throws Exception {
    ToneCtcModelBuilder.build(dir, true);
    ToneCtcModelBuilder.build(other, true);
    for (String file : List.of("models.yaml", "tone-ctc/model.onnx", "tone-ctc/vocab.json")) {
      assertThat(Files.readAllBytes(other.resolve(file)))
          .as(file)
          .isEqualTo(Files.readAllBytes(dir.resolve(file)));
    }
    assertThat(Files.readString(dir.resolve("tone-ctc/vocab.json")))
        .startsWith("{\"<pad>\": 0, \"<s>\": 1, \"</s>\": 2, \"<unk>\": 3, \"|\": 4, \"a\": 5,");
    assertThat(ToneSpeech.render("hello world", 16_000).samples())
        .isEqualTo(ToneSpeech.render("hello world", 16_000).samples());
  }

  @Test
  void aVocabularyOfAnotherSizeThanTheLogitsIsAClearError() throws Exception {
    ModelSpec spec = spec(false);
    Files.writeString(
        spec.preprocessing().vocabulary(), "{\"<pad>\": 0, \"<s>\": 1, \"|\": 2, \"a\": 3}");
    assertThatThrownBy(() -> new SpeechModel(spec))
        .isInstanceOf(MmflowException.class)
        .hasMessageContaining("32 classes")
        .hasMessageContaining("4 tokens")
        .extracting(e -> ((MmflowException) e).code())
        .isEqualTo(ErrorCode.CONFIGURATION_INVALID);
  }

  @Test
  void aCharacterWithoutAToneIsRejectedByTheSynthesizer() {
    assertThatThrownBy(() -> ToneSpeech.render("number 9", 16_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'9'");
  }

  private static void assertWordTimes(SpeechModel.Transcription t, ToneSpeech.Speech speech) {
    assertThat(t.words()).hasSameSizeAs(speech.words());
    for (int w = 0; w < speech.words().size(); w++) {
      SpeechModel.Word got = t.words().get(w);
      ToneSpeech.Word put = speech.words().get(w);
      assertThat(got.text()).isEqualTo(put.text());
      assertThat(got.startSeconds())
          .as(put.text())
          .isCloseTo(put.startSeconds(), within(TIME_TOLERANCE));
      assertThat(got.endSeconds())
          .as(put.text())
          .isCloseTo(put.endSeconds(), within(TIME_TOLERANCE));
      assertThat(got.confidence()).isBetween(0.0, 1.0);
    }
  }
}
