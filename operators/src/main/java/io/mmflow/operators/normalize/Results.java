package io.mmflow.operators.normalize;

import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.Provenance;
import io.mmflow.core.model.Task;
import io.mmflow.core.model.Timing;
import io.mmflow.model.ModelInfo;
import java.time.Instant;
import java.util.Map;

/** What every result about one part of an item starts with: its ids, provenance and timing. */
final class Results {
  private Results() {}

  /**
   * A result about {@code partId} of {@code item} (its own part, a page or an embedded image), with
   * {@code partAttributes} (page number, media type) and the times the work started and finished.
   */
  static ModalityResult.Builder of(
      MediaItem item,
      String partId,
      Map<String, String> partAttributes,
      Modality modality,
      Task task,
      Provenance provenance,
      Instant started,
      Instant finished) {
    return ModalityResult.builder()
        .forItem(item)
        .partId(partId)
        .modality(modality)
        .task(task)
        .provenance(provenance)
        .timing(Timing.of(item.eventTime(), started, finished))
        .attributes(partAttributes);
  }

  /** A result of {@code model} about the item's own part, on the item's bytes. */
  static ModalityResult.Builder of(
      MediaItem item,
      Modality modality,
      Task task,
      ModelInfo model,
      Instant started,
      Instant finished) {
    return of(
        item,
        modality,
        task,
        model.provenance(item.sourceUri(), item.contentSha256(), false),
        started,
        finished);
  }

  /** A result about the item's own part. */
  static ModalityResult.Builder of(
      MediaItem item,
      Modality modality,
      Task task,
      Provenance provenance,
      Instant started,
      Instant finished) {
    return of(item, item.partId(), Map.of(), modality, task, provenance, started, finished);
  }
}
