package io.mmflow.jobs.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mmflow.connectors.kafka.FeedEvents;
import io.mmflow.connectors.kafka.FeedRecord;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.MediaItem;
import io.mmflow.model.tika.MediaTypeDetector;
import io.mmflow.operators.preprocess.audio.AudioDecoder;
import io.mmflow.operators.preprocess.document.PdfPages;
import io.mmflow.operators.preprocess.image.ImagePages;
import io.mmflow.operators.preprocess.page.PageLimits;
import io.mmflow.operators.validate.ValidationRules;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Coverage-guided fuzz tests (Jazzer) of the stages that read bytes nobody checked: the feed event
 * parser, media validation, PDF pages, image decoding with its pixel limit, and audio decoding. The
 * contract each checks is the job's: an input either passes or fails with a coded {@link
 * MmflowException} (which the job turns into a dead letter); any other exception or error would
 * fail the job, and is a finding. In every build the inputs under {@code
 * src/test/resources/io/mmflow/jobs/fuzz/MediaFuzzTestInputs/<method>/} run as regression tests
 * (each crash found is kept there); fuzzing itself runs by command (docs/operations.md, "Fuzzing").
 */
class MediaFuzzTest {
  /** Tika's detector, made once: what validation runs on every input. */
  static final MediaTypeDetector DETECTOR = new MediaTypeDetector();

  static final ValidationRules RULES =
      new ValidationRules(1 << 20, Set.of("application/pdf", "image/png", "text/plain"), "fuzz");

  static final PageLimits LIMITS =
      new PageLimits(20, 20_000_000L, 72, 150, 16, Duration.ofSeconds(10));

  @FuzzTest(maxDuration = "60s")
  void feedEvents(byte[] value) {
    coded(() -> FeedEvents.parse(new FeedRecord("t", 0, 0, 0, value), 1 << 20));
  }

  @FuzzTest(maxDuration = "60s")
  void validation(byte[] content) {
    MediaItem item =
        new MediaItem(
            "item",
            "0",
            null,
            Instant.EPOCH,
            "file:/in/x",
            null,
            content.length,
            null,
            content,
            null,
            Map.of());
    coded(() -> RULES.check(item, DETECTOR));
  }

  @FuzzTest(maxDuration = "60s")
  void pdfPages(byte[] pdf) {
    coded(() -> PdfPages.split(pdf, LIMITS, page -> {}));
  }

  @FuzzTest(maxDuration = "60s")
  void imagePages(byte[] image) {
    coded(() -> ImagePages.split(image, LIMITS, page -> {}));
  }

  @FuzzTest(maxDuration = "60s")
  void audio(byte[] clip) {
    coded(() -> new AudioDecoder(30.0).decode(clip));
  }

  /** Runs {@code step}: a coded failure is an answer, anything else a finding. */
  private static void coded(Step step) {
    try {
      step.run();
    } catch (MmflowException expected) {
      // a dead letter in the job
    }
  }

  @FunctionalInterface
  interface Step {
    void run();
  }
}
