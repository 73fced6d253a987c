package io.mmflow.operators.infer.remote;

import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.Task;
import io.mmflow.operators.normalize.ResultSubject;
import java.io.Serializable;
import java.time.Instant;

/**
 * What one remote call is about: the item it answers for, the task, and its input (text, or the
 * bytes of an image or audio file).
 */
public record RemoteRequest(
    String itemId,
    String partId,
    String correlationId,
    String sourceUri,
    String contentSha256,
    Instant eventTime,
    Modality modality,
    Task task,
    String text,
    byte[] bytes,
    String mediaType)
    implements Serializable, ResultSubject {

  /** A text task on the text of a result (a document's extraction, a transcript). */
  public static RemoteRequest text(ModalityResult r, Task task) {
    return new RemoteRequest(
        r.itemId(),
        r.partId(),
        r.correlationId(),
        r.provenance().sourceUri(),
        r.provenance().contentSha256(),
        r.timing().eventTime(),
        Modality.TEXT,
        task,
        r.text(),
        null,
        "text/plain");
  }

  /**
   * A text task on a text of its own (one part, {@code "0"}; the item is its own correlation), e.g.
   * a record built by a test or a benchmark.
   */
  public static RemoteRequest ofText(
      String itemId, String sourceUri, Instant eventTime, Task task, String text) {
    return new RemoteRequest(
        itemId,
        "0",
        itemId,
        sourceUri,
        null,
        eventTime,
        Modality.TEXT,
        task,
        text,
        null,
        "text/plain");
  }

  /** A task on an image or audio file (caption, transcription). */
  public static RemoteRequest media(MediaItem item, Modality modality, Task task) {
    return new RemoteRequest(
        item.itemId(),
        item.partId(),
        item.correlationId(),
        item.sourceUri(),
        item.contentSha256(),
        item.eventTime(),
        modality,
        task,
        null,
        item.content(),
        item.mediaType());
  }
}
