package io.mmflow.operators.preprocess.document;

import static java.util.Objects.requireNonNull;

import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.ResultStatus;
import io.mmflow.core.model.Task;
import io.mmflow.core.model.Timing;
import io.mmflow.model.tika.Extraction;
import io.mmflow.model.tika.ExtractionSettings;
import io.mmflow.model.tika.TikaExtractor;
import io.mmflow.operators.DeadLetters;
import io.mmflow.operators.metrics.RunCounters;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Extracts the text layer of a document with Apache Tika into a {@link ModalityResult} (task
 * extraction, modality document). Documents Tika cannot read become dead letters with the code of
 * the failure; the job goes on.
 *
 * <p>Confidence: the text of a text layer is read, not inferred, so a complete extraction has
 * confidence 1.0 (calibration {@value #CALIBRATION}); a truncated one is marked degraded.
 */
public final class ExtractDocumentText extends ProcessFunction<MediaItem, ModalityResult> {
  public static final String STAGE = "extract";
  static final String CALIBRATION = "deterministic text layer";

  private final ExtractionSettings settings;
  private transient TikaExtractor extractor;
  private transient RunCounters results;
  private transient RunCounters itemsDone;
  private transient RunCounters deadLetters;

  public ExtractDocumentText(ExtractionSettings settings) {
    this.settings = requireNonNull(settings, "settings is null");
  }

  @Override
  public void open(OpenContext openContext) {
    extractor = new TikaExtractor(settings);
    results = RunCounters.counter(getRuntimeContext(), RunCounters.RESULTS);
    itemsDone = RunCounters.counter(getRuntimeContext(), RunCounters.ITEMS_DONE);
    deadLetters = RunCounters.deadLetters(getRuntimeContext());
  }

  @Override
  public void processElement(MediaItem item, Context ctx, Collector<ModalityResult> out) {
    Instant started = Instant.now();
    Extraction e;
    try {
      e = extractor.apply(new TikaExtractor.Input(item.content(), item.mediaType()));
    } catch (MmflowException failure) {
      deadLetters.increment(failure.code());
      ctx.output(DeadLetters.TAG, DeadLetter.of(item, STAGE, failure));
      return;
    }
    Instant finished = Instant.now();
    ModalityResult.Builder result =
        ModalityResult.builder()
            .forItem(item)
            .modality(Modality.DOCUMENT)
            .task(Task.EXTRACTION)
            .status(e.truncated() ? ResultStatus.DEGRADED : ResultStatus.OK)
            .text(e.text())
            .language(e.language())
            .pageCount(e.pageCount())
            .confidence(1.0, CALIBRATION)
            .provenance(extractor.info().provenance(item.sourceUri(), item.contentSha256(), false))
            .timing(Timing.of(item.eventTime(), started, finished))
            .attribute("media_type", e.mediaType())
            .attribute("truncated", Boolean.toString(e.truncated()))
            .attribute("characters", Integer.toString(e.text().length()))
            .attribute(
                "language_score",
                e.languageScore() == null
                    ? null
                    : String.format(java.util.Locale.ROOT, "%.4f", e.languageScore()));
    e.metadata().forEach((k, v) -> result.attribute("doc." + k, v));
    item.attributes().forEach((k, v) -> result.attribute("source." + k, v));
    results.increment();
    itemsDone.increment();
    out.collect(result.build());
  }

  @Override
  public void close() {
    if (extractor != null) {
      extractor.close();
    }
  }
}
