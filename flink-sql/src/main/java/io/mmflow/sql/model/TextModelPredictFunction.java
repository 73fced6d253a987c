package io.mmflow.sql.model;

import io.mmflow.core.config.ModelOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.operators.infer.local.TextClassification;
import io.mmflow.operators.normalize.ExtractionResults;
import io.mmflow.sql.SqlInputs;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.functions.FunctionContext;

/**
 * {@code ML_PREDICT} over a registry text model (ONNX Runtime): each row's text goes through the
 * jobs' own text stage ({@link TextClassification}: normalization, the PII guard, the language, the
 * model, the calibrated result), micro-batched across the rows Flink keeps in flight. A text the
 * model fails on gives a row with status {@code error} and its code; the query goes on.
 */
public final class TextModelPredictFunction extends AsyncPredictFunction {
  private final String model;
  private final String registry;
  private final ModelOptions.PiiMode pii;
  private final int maxBatch;
  private final Duration maxWait;
  private final OutputColumns output;
  private transient TextClassification stage;
  private transient MicroBatcher<ModalityResult, ModalityResult> batcher;

  TextModelPredictFunction(
      String model,
      String registry,
      ModelOptions.PiiMode pii,
      int maxBatch,
      Duration maxWait,
      OutputColumns output) {
    this.model = model;
    this.registry = registry;
    this.pii = pii;
    this.maxBatch = maxBatch;
    this.maxWait = maxWait;
    this.output = output;
  }

  @Override
  public void open(FunctionContext context) {
    stage = new TextClassification(registry, model, pii);
    stage.open(null);
    batcher =
        new MicroBatcher<>("mmflow-model-" + model, maxBatch, maxWait, stage::apply, stage::failed);
  }

  @Override
  public CompletableFuture<Collection<RowData>> asyncPredict(RowData input) {
    String text = input.isNullAt(0) ? "" : input.getString(0).toString();
    if (text.isBlank()) {
      ModalityResult none =
          stage.failed(
              textPart(text),
              new MmflowException(ErrorCode.NO_CONTENT_EXTRACTED, "the text is empty or blank"));
      return CompletableFuture.completedFuture(List.of(output.row(none)));
    }
    return batcher.submit(textPart(text)).thenApply(r -> List.of(output.row(r)));
  }

  /** A row's text as the jobs see a feed's text part: its own item, extracted as UTF-8 text. */
  public static ModalityResult textPart(String text) {
    MediaItem item = SqlInputs.text(text);
    return ExtractionResults.textPart(item, text, item.eventTime(), item.eventTime());
  }

  @Override
  public void close() {
    if (batcher != null) {
      batcher.close();
    }
    if (stage != null) {
      stage.close();
    }
  }
}
