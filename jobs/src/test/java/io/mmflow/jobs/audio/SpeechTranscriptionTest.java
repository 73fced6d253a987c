package io.mmflow.jobs.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.model.Entity;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.ResultStatus;
import io.mmflow.core.model.Task;
import io.mmflow.datasets.models.audio.ToneCtcModelBuilder;
import io.mmflow.datasets.models.audio.ToneSpeech;
import io.mmflow.operators.infer.local.SpeechTranscription;
import io.mmflow.operators.normalize.TranscriptResults;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on real bytes and a real ONNX Runtime session: 44.1 kHz stereo WAV files of {@link
 * ToneSpeech} → {@link SpeechTranscription} (decode, downmix, resample to 16 kHz, voice activity,
 * the tone CTC model) → transcription results with timed words; broken files become error results
 * of their own while the rest of the batch is transcribed.
 */
class SpeechTranscriptionTest {
  private static final int RATE = 44_100;

  /** Word boundaries fall on 20 ms frames; resampling and segment cuts move them a little. */
  private static final double TOLERANCE_MS = 30;

  @TempDir Path dir;
  private SpeechTranscription transcription;

  @BeforeEach
  void open() throws Exception {
    Path registry = ToneCtcModelBuilder.build(dir, false);
    transcription = new SpeechTranscription(registry.toString(), ToneCtcModelBuilder.MODEL_ID);
    transcription.open(null);
  }

  @AfterEach
  void close() throws Exception {
    transcription.close();
  }

  @Test
  void transcribesStereoWavsWithTimedWordsAndIsolatesBrokenFiles() throws Exception {
    ToneSpeech.Speech hello = ToneSpeech.render("hello world", RATE);
    ToneSpeech.Speech two = ToneSpeech.render(List.of("good morning", "see you soon"), 0.8, RATE);
    byte[] helloWav = hello.toWav(2);
    byte[] truncated = Arrays.copyOf(helloWav, helloWav.length / 2 + 1);
    byte[] garbage = new byte[4096];
    new Random(3).nextBytes(garbage);
    byte[] silence = new ToneSpeech.Speech(new float[RATE], RATE, "", List.of()).toWav(2);

    List<ModalityResult> results =
        transcription.apply(
            List.of(
                item("hello", helloWav),
                item("truncated", truncated),
                item("two-phrases", two.toWav(2)),
                item("garbage", garbage),
                item("silence", silence)));

    assertThat(results)
        .extracting(ModalityResult::itemId)
        .containsExactly("hello", "truncated", "two-phrases", "garbage", "silence");
    assertTranscribed(results.get(0), hello, 1);
    assertTranscribed(results.get(2), two, 2);

    assertThat(results.get(1).status()).isEqualTo(ResultStatus.ERROR);
    assertThat(results.get(1).error().code()).isEqualTo(ErrorCode.CORRUPT_INPUT);
    assertThat(results.get(3).status()).isEqualTo(ResultStatus.ERROR);
    assertThat(results.get(3).error().code()).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
    for (ModalityResult r : List.of(results.get(1), results.get(3))) {
      assertThat(r.modality()).isEqualTo(Modality.AUDIO);
      assertThat(r.task()).isEqualTo(Task.TRANSCRIPTION);
      assertThat(r.provenance().modelId()).isEqualTo(ToneCtcModelBuilder.MODEL_ID);
    }

    ModalityResult quiet = results.get(4);
    assertThat(quiet.status()).isEqualTo(ResultStatus.OK);
    assertThat(quiet.text()).isEmpty();
    assertThat(quiet.entities()).isEmpty();
    assertThat(quiet.confidence()).isNull();
    assertThat(quiet.attributes()).containsEntry("segments", "0");
  }

  @Test
  void aBatchAnswersAsEachItemAlone() throws Exception {
    List<MediaItem> items =
        List.of(
            item("a", ToneSpeech.render("bookkeeper", RATE).toWav(2)),
            item("b", ToneSpeech.render("the quick brown fox jumps", RATE).toWav(2)),
            item("c", ToneSpeech.render("it's ok", RATE).toWav(1)));
    List<ModalityResult> together = transcription.apply(items);
    for (int i = 0; i < items.size(); i++) {
      ModalityResult alone = transcription.apply(List.of(items.get(i))).get(0);
      assertThat(together.get(i).text()).isEqualTo(alone.text());
      // the same words and spans; confidences may differ in the last float digits (padding)
      assertThat(together.get(i).entities())
          .usingRecursiveFieldByFieldElementComparatorIgnoringFields("confidence")
          .isEqualTo(alone.entities());
      assertThat(together.get(i).confidence()).isCloseTo(alone.confidence(), within(1e-6));
    }
    assertThat(together)
        .extracting(ModalityResult::text)
        .containsExactly("bookkeeper", "the quick brown fox jumps", "it's ok");
  }

  private static void assertTranscribed(ModalityResult r, ToneSpeech.Speech speech, int segments) {
    assertThat(r.status()).isEqualTo(ResultStatus.OK);
    assertThat(r.modality()).isEqualTo(Modality.AUDIO);
    assertThat(r.task()).isEqualTo(Task.TRANSCRIPTION);
    assertThat(r.text()).isEqualTo(speech.text());
    assertThat(r.confidence()).isGreaterThan(0.9);
    assertThat(r.calibration()).isEqualTo(TranscriptResults.CALIBRATION);
    assertThat(r.provenance().modelId()).isEqualTo(ToneCtcModelBuilder.MODEL_ID);
    assertThat(r.provenance().modelVersion()).isEqualTo(ToneCtcModelBuilder.VERSION);
    assertThat(r.attributes())
        .containsEntry("source_sample_rate", "44100")
        .containsEntry("source_channels", "2")
        .containsEntry("model_sample_rate", "16000")
        .containsEntry("segments", Integer.toString(segments));
    assertThat(Double.parseDouble(r.attributes().get("duration_seconds")))
        .isCloseTo(speech.durationSeconds(), within(0.001));

    List<Entity> words = r.entities().stream().filter(e -> e.type().equals("word")).toList();
    assertThat(words).hasSameSizeAs(speech.words());
    for (int w = 0; w < words.size(); w++) {
      Entity got = words.get(w);
      ToneSpeech.Word put = speech.words().get(w);
      assertThat(got.text()).isEqualTo(put.text());
      assertThat(r.text().substring(got.charStart(), got.charEnd())).isEqualTo(put.text());
      assertThat((double) got.audioSpan().startMs())
          .as(put.text())
          .isCloseTo(put.startSeconds() * 1000, within(TOLERANCE_MS));
      assertThat((double) got.audioSpan().endMs())
          .as(put.text())
          .isCloseTo(put.endSeconds() * 1000, within(TOLERANCE_MS));
      assertThat(got.confidence()).isBetween(0.0, 1.0);
    }
    List<Entity> segs = r.entities().stream().filter(e -> e.type().equals("segment")).toList();
    assertThat(segs).hasSize(segments);
    assertThat(String.join(" ", segs.stream().map(Entity::text).toList())).isEqualTo(r.text());
    for (Entity s : segs) {
      assertThat(r.text().substring(s.charStart(), s.charEnd())).isEqualTo(s.text());
    }
  }

  private static MediaItem item(String id, byte[] bytes) {
    return new MediaItem(
        id,
        "0",
        null,
        Instant.parse("2026-01-01T00:00:00Z"),
        "file:/audio/" + id + ".wav",
        "audio/vnd.wave",
        bytes.length,
        null,
        bytes,
        null,
        Map.of());
  }
}
