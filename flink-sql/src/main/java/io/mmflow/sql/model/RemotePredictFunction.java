package io.mmflow.sql.model;

import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.Task;
import io.mmflow.model.tika.MediaTypeDetector;
import io.mmflow.operators.infer.remote.RemoteRequest;
import io.mmflow.operators.infer.remote.RemoteSettings;
import io.mmflow.operators.infer.remote.RemoteStage;
import io.mmflow.sql.SqlInputs;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.functions.FunctionContext;

/**
 * {@code ML_PREDICT} over mmflow's remote providers (an OpenAI-compatible providers file): each row
 * goes through the jobs' own remote stage ({@link RemoteStage}: PII guard, caches, routing with
 * fallback, breakers, rate limits, retries, cost and budget), asynchronously, as many rows in
 * flight as Flink's async ML_PREDICT allows. Text rows for text tasks (sentiment, summary,
 * entities, classification, embedding), bytes for captions (images) and transcriptions (audio).
 * Every row ends as one result, OK or an error row with its code; the query goes on.
 */
public final class RemotePredictFunction extends AsyncPredictFunction {
  private final Configuration config;
  private final Task task;
  private final boolean bytes;
  private final OutputColumns output;
  private transient RemoteStage stage;
  private transient long timeoutMillis;
  private transient MediaTypeDetector detector;

  RemotePredictFunction(Configuration config, Task task, boolean bytes, OutputColumns output) {
    this.config = new Configuration(config);
    this.task = task;
    this.bytes = bytes;
    this.output = output;
  }

  @Override
  public void open(FunctionContext context) {
    RemoteSettings settings = RemoteSettings.from(config);
    timeoutMillis = settings.timeout().toMillis();
    stage =
        RemoteStage.open(
            settings,
            task,
            context.getTaskInfo().getNumberOfParallelSubtasks(),
            context.getMetricGroup());
    detector = new MediaTypeDetector();
  }

  @Override
  public CompletableFuture<Collection<RowData>> asyncPredict(RowData input) {
    RemoteRequest request =
        bytes
            ? media(input.isNullAt(0) ? null : input.getBinary(0))
            : text(input.isNullAt(0) ? "" : input.getString(0).toString());
    // the stage's own timeout (retries included), as the jobs' async operator applies it: a coded
    // error row, never a failed query
    return stage
        .call(request)
        .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .exceptionally(
            e -> {
              if (e instanceof TimeoutException || e.getCause() instanceof TimeoutException) {
                return stage.timedOut(request);
              }
              throw e instanceof CompletionException c ? c : new CompletionException(e);
            })
        .thenApply(r -> List.of(output.row(r)));
  }

  /** A text row as its own item: the id is the text's hash, as for a feed's text part. */
  private RemoteRequest text(String text) {
    MediaItem item = SqlInputs.text(text);
    return RemoteRequest.ofText(item.itemId(), item.sourceUri(), item.eventTime(), task, text);
  }

  /** An image or audio row, its media type detected from the bytes. */
  private RemoteRequest media(byte[] content) {
    byte[] b = content == null ? new byte[0] : content;
    MediaItem item = SqlInputs.item(b, null, null, b.length == 0 ? null : detector.detect(b));
    return RemoteRequest.media(
        item, task == Task.TRANSCRIPTION ? Modality.AUDIO : Modality.IMAGE, task);
  }

  @Override
  public void close() {
    if (stage != null) {
      stage.close();
    }
  }
}
