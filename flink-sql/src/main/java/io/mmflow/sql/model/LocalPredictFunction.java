package io.mmflow.sql.model;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.model.tika.MediaTypeDetector;
import io.mmflow.operators.infer.local.BatchFunction;
import io.mmflow.operators.normalize.ExtractionResults;
import io.mmflow.sql.SqlInputs;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.functions.FunctionContext;

/**
 * {@code ML_PREDICT} over a model that runs in the task manager: each row goes through the jobs'
 * own stage for it (a registry text model's {@code TextClassification}, an image model's {@code
 * ImageClassification}, a speech model's {@code SpeechTranscription}, Tesseract's page reading),
 * micro-batched across the rows Flink keeps in flight, as the jobs' micro-batch operator batches a
 * stream. An input the stage fails on (an empty text, bytes that are not an image, a model failure)
 * gives a row with status {@code error} and its code; the query goes on.
 *
 * @param <I> what the stage takes: a text part's result, or a media item
 */
public final class LocalPredictFunction<I> extends AsyncPredictFunction {
  private static final long serialVersionUID = 1L;

  /** How a row's one input column becomes the stage's input. */
  interface Input<I> extends Serializable {
    /** The stage's input of the column's value ({@code null} for SQL NULL). */
    I of(RowData row, MediaTypeDetector detector);

    /** Why the input has nothing to run the model on, or null when it has. */
    MmflowException empty(I input);
  }

  /** A STRING column as a feed's text part: its own item, extracted as UTF-8 text. */
  static final Input<ModalityResult> TEXT =
      new Input<>() {
        @Override
        public ModalityResult of(RowData row, MediaTypeDetector detector) {
          return textPart(row.isNullAt(0) ? "" : row.getString(0).toString());
        }

        @Override
        public MmflowException empty(ModalityResult input) {
          return input.text() == null || input.text().isBlank()
              ? new MmflowException(ErrorCode.NO_CONTENT_EXTRACTED, "the text is empty or blank")
              : null;
        }
      };

  /** A BYTES column as an item of its own, its media type detected from the bytes. */
  static final Input<MediaItem> BYTES =
      new Input<>() {
        @Override
        public MediaItem of(RowData row, MediaTypeDetector detector) {
          byte[] b = row.isNullAt(0) ? new byte[0] : row.getBinary(0);
          return SqlInputs.item(b, null, null, b.length == 0 ? null : detector.detect(b));
        }

        @Override
        public MmflowException empty(MediaItem input) {
          return input.content() == null || input.content().length == 0
              ? new MmflowException(ErrorCode.EMPTY_INPUT, "the input has no bytes (NULL or empty)")
              : null;
        }
      };

  private final String name;
  private final BatchFunction<I, ModalityResult> stage;
  private final Input<I> input;
  private final int maxBatch;
  private final Duration maxWait;
  private final OutputColumns output;
  private transient MediaTypeDetector detector;
  private transient MicroBatcher<I, ModalityResult> batcher;

  LocalPredictFunction(
      String name,
      BatchFunction<I, ModalityResult> stage,
      Input<I> input,
      int maxBatch,
      Duration maxWait,
      OutputColumns output) {
    this.name = name;
    this.stage = stage;
    this.input = input;
    this.maxBatch = maxBatch;
    this.maxWait = maxWait;
    this.output = output;
  }

  @Override
  public void open(FunctionContext context) throws Exception {
    stage.open(null);
    detector = new MediaTypeDetector();
    batcher =
        new MicroBatcher<>(
            "mmflow-model-" + name,
            maxBatch,
            maxWait,
            batch -> {
              try {
                return stage.apply(batch);
              } catch (RuntimeException e) {
                throw e;
              } catch (Exception e) {
                throw new MmflowException(ErrorCode.MODEL_FAILURE, e.toString(), e);
              }
            },
            stage::failed);
  }

  @Override
  public CompletableFuture<Collection<RowData>> asyncPredict(RowData row) {
    I in = input.of(row, detector);
    MmflowException empty = input.empty(in);
    if (empty != null) {
      return CompletableFuture.completedFuture(List.of(output.row(stage.failed(in, empty))));
    }
    return batcher.submit(in).thenApply(r -> List.of(output.row(r)));
  }

  /** A row's text as the jobs see a feed's text part: its own item, extracted as UTF-8 text. */
  public static ModalityResult textPart(String text) {
    MediaItem item = SqlInputs.text(text);
    return ExtractionResults.textPart(item, text, item.eventTime(), item.eventTime());
  }

  @Override
  public void close() throws Exception {
    if (batcher != null) {
      batcher.close();
    }
    stage.close();
  }
}
